/**
 * A type-level comparison of two shapes that names where they differ, so that a type assertion over two
 * descriptions of the same thing (the stack config schema's input and `AgentPlatformArgs`) fails `tsc`
 * with the path of the difference: a key on one side only, a key optional on one side only, or a value
 * type that is not the same both ways. Type-only: nothing here exists at run time.
 */

/** `T` without `undefined` (what an optional key holds when present). */
type Defined<T> = Exclude<T, undefined>;

/** True when `T` is a plain object type (not a list, not a function). */
type IsRecordLike<T> = [T] extends [readonly unknown[]] ? false : [T] extends [(...args: never[]) => unknown] ? false : [T] extends [object] ? true : false;

/** True when each of `A` and `B` is assignable to the other. */
type MutuallyAssignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** True when key `K` of `T` is optional. */
type IsOptionalKey<T, K extends keyof T> = {} extends Pick<T, K> ? true : false;

/** The differences between two object types, key by key. */
type ObjectDiff<A, B, Path extends string> =
  | { [K in Exclude<keyof A, keyof B> & string]: `${Path}.${K}: only in the first type` }[Exclude<keyof A, keyof B> & string]
  | { [K in Exclude<keyof B, keyof A> & string]: `${Path}.${K}: only in the second type` }[Exclude<keyof B, keyof A> & string]
  | {
      [K in keyof A & keyof B & string]:
        | (IsOptionalKey<A, K> extends IsOptionalKey<B, K> ? never : `${Path}.${K}: optional in one type only`)
        | ShapeDiff<A[K], B[K], `${Path}.${K}`>;
    }[keyof A & keyof B & string];

/**
 * `never` when `A` and `B` describe the same shape (the same keys, the same optionality, value types
 * assignable both ways, recursively through objects and lists); otherwise a union of messages, each
 * naming the path (`args.cluster.skuTier: ...`) of one difference. `undefined` in an optional key is
 * ignored (optionality is compared on its own).
 */
export type ShapeDiff<A, B, Path extends string = "args"> =
  [Defined<A>] extends [readonly (infer ItemA)[]]
    ? [Defined<B>] extends [readonly (infer ItemB)[]]
      ? ShapeDiff<ItemA, ItemB, `${Path}[]`>
      : `${Path}: a list in the first type only`
    : [Defined<B>] extends [readonly unknown[]]
      ? `${Path}: a list in the second type only`
      : IsRecordLike<Defined<A>> extends true
        ? IsRecordLike<Defined<B>> extends true
          ? ObjectDiff<Defined<A>, Defined<B>, Path>
          : `${Path}: an object in the first type only`
        : IsRecordLike<Defined<B>> extends true
          ? `${Path}: an object in the second type only`
          : MutuallyAssignable<Defined<A>, Defined<B>> extends true
            ? never
            : `${Path}: the value types differ`;

/** Compiles only when `Diff` is `never`; the compiler's message quotes the differences otherwise. */
export type AssertSameShape<Diff extends never> = Diff;
