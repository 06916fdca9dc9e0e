export async function main(argv: string[]): Promise<number> {
  process.stderr.write(`litlab: not implemented yet (${argv.join(" ")})\n`);
  return 2;
}
