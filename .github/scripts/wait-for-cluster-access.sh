#!/usr/bin/env bash
# Waits, for a bounded time, until the signed-in Azure principal may write the agents' objects in the
# cluster: a new Azure RBAC role assignment takes up to five minutes to reach AKS's authorizer
# (learn.microsoft.com/azure/aks/manage-azure-rbac), and until then every Kubernetes write gets 403.
# Read-only: it asks the API server (SelfSubjectAccessReview, `kubectl auth can-i`), it writes nothing.
#
# Usage: wait-for-cluster-access.sh <resource-group> <cluster> <namespace> [timeout-seconds=600] [interval-seconds=15]
# Needs az (signed in), kubelogin and kubectl on PATH. Exit 0 once allowed, 1 when the time runs out, 2 on usage.
set -uo pipefail

if [ $# -lt 3 ]; then
  echo "Usage: $0 <resource-group> <cluster> <namespace> [timeout-seconds] [interval-seconds]" >&2
  exit 2
fi
group=$1 cluster=$2 namespace=$3 timeout=${4:-600} interval=${5:-15}

kubeconfig=$(mktemp)
trap 'rm -f "$kubeconfig"' EXIT
# The user kubeconfig of an Entra ID cluster, made non-interactive with the current az login.
az aks get-credentials --resource-group "$group" --name "$cluster" --format exec --file "$kubeconfig" --overwrite-existing --only-show-errors || exit 1
kubelogin convert-kubeconfig --login azurecli --kubeconfig "$kubeconfig" || exit 1

# What the first phase-two writes need: the namespace (cluster scope), then workloads inside it.
checks=("create namespaces" "create serviceaccounts --namespace $namespace" "create deployments.apps --namespace $namespace")
deadline=$((SECONDS + timeout))
attempt=0
while :; do
  attempt=$((attempt + 1))
  missing=""
  for check in "${checks[@]}"; do
    # shellcheck disable=SC2086 # each check is a verb, a resource and flags
    answer=$(KUBECONFIG="$kubeconfig" kubectl auth can-i $check 2>&1)
    if [ "$answer" != "yes" ]; then
      missing="$check ($answer)"
      break
    fi
  done
  if [ -z "$missing" ]; then
    echo "The deployer may write to cluster $cluster (attempt $attempt)."
    exit 0
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "error: after ${timeout}s the deployer still may not $missing in cluster $cluster. Fix: check that its role assignment \"Azure Kubernetes Service RBAC Cluster Admin\" on the cluster exists (pulumi up created it in the Azure phase) and run the deploy again." >&2
    exit 1
  fi
  echo "Not yet allowed to $missing; waiting ${interval}s for the role assignment to reach the cluster (attempt $attempt)." >&2
  sleep "$interval"
done
