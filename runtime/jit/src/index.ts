/**
 * @agent-identity/jit: just-in-time activation of PIM-eligible Azure roles for agents.
 */
export { requestActivation, ActivationRequest, Activation } from "./activate";
export { releaseActivation, ReleaseRequest, Release } from "./release";
export { JitClientOptions } from "./lib/arm";
export {
  JitEvent,
  JitEventBase,
  JitEventName,
  JitEventSink,
  JitRequestedEvent,
  JitStatusEvent,
  JitProvisionedEvent,
  JitDeniedEvent,
  JitExpiredEvent,
  JitFailedEvent,
  JitCancelledEvent,
  JitCancelFailedEvent,
  JitReleasedEvent,
  CancelReason,
  LineWriter,
  jsonLineSink,
  stderrJsonLines,
} from "./events";
export {
  JitError,
  InvalidDurationError,
  InvalidScopeError,
  InvalidOptionError,
  NoCredentialError,
  CredentialRefusedError,
  NoEligibilityError,
  DurationExceedsPolicyError,
  ActivationDeniedError,
  PendingRequestError,
  CancelOutcome,
  ApprovalTimeoutError,
  ActivationAbortedError,
  StatusUnavailableError,
  UnknownStatusError,
  RequestExpiredError,
  ActivationFailedError,
  AzureRequestError,
} from "./errors";
