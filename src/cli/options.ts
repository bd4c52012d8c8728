/** Options every subcommand accepts (`-c, --config`, `-C, --cwd`): their own module, so a command's file need not import main.ts. */
export interface GlobalOptions {
  config?: string;
  cwd?: string;
}
