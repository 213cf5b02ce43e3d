/** asl-validator 4 ships no type declarations: the part of its API the tests use (a CommonJS function export). */
declare module 'asl-validator' {
  export interface AslValidatorOptions {
    /** validate JSONPath expressions (default true) */
    readonly checkPaths?: boolean;
    /** validate Resource ARNs (default true) */
    readonly checkArn?: boolean;
  }
  export interface AslValidationError {
    readonly 'Error code': string;
    readonly Message: string;
    readonly path?: string;
  }
  export interface AslValidationResult {
    readonly isValid: boolean;
    readonly errors: readonly AslValidationError[];
    errorsText(separator?: string): string;
  }
  /** Note: it writes QueryLanguage onto the states it is given: pass a copy. */
  function aslValidator(definition: unknown, options?: AslValidatorOptions): AslValidationResult;
  export default aslValidator;
}
