/**
 * @agent-identity/jit: just-in-time activation of PIM-eligible Azure roles for agents.
 */
export { requestActivation, ActivationRequest, Activation } from "./activate";
export { releaseActivation, ReleaseRequest, Release } from "./release";
export { JitClientOptions } from "./lib/arm";
export {
  JitError,
  InvalidDurationError,
  NoEligibilityError,
  DurationExceedsPolicyError,
  ActivationDeniedError,
  ApprovalTimeoutError,
  RequestExpiredError,
  ActivationFailedError,
  AzureRequestError,
} from "./errors";
