import { lint } from '../../src/analysis/lint/_lint';

/** Runs the lint command in-process, capturing its output. */
export function runLint(...argv: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = lint(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { status, stdout, stderr };
}
