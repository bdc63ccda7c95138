/**
 * The one error a component throws for invalid args, before anything is registered: it names the
 * component, the field and the fix, and carries them as properties callers and tests can branch on.
 */

/** Stable code of every {@link ComponentArgsError} (subclasses may narrow it). */
export const COMPONENT_ARGS_ERROR_CODE = "ERR_COMPONENT_ARGS";

/** Thrown by a component's constructor, before `super`, when its args are invalid. */
export class ComponentArgsError extends Error {
  /** Stable code. */
  readonly code: string = COMPONENT_ARGS_ERROR_CODE;

  constructor(
    /** The component class, e.g. `AgentWorkload`. */
    readonly component: string,
    /** The component's resource name (the first constructor argument). */
    readonly resourceName: string,
    /** The bad field, as a path into the args (`acrPullRegistryIds[1]`, `alerts.jit-activation.severity`). */
    readonly field: string,
    /** What is wrong and the fix (`... Fix: ...`), without the component prefix. */
    readonly detail: string,
  ) {
    super(`${component} ${resourceName}: ${detail}`);
    this.name = "ComponentArgsError";
  }
}
