export function explainCommand(): number {
  return 0;
}
