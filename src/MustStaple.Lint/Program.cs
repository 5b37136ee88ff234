using MustStaple.Lint;

// Main stays tiny: when the package carries a native build for this machine, starting it must not first JIT the
// command line (NativeLauncher); otherwise the lint runs in-process.
return NativeLauncher.TryRun(args, out var exitCode) ? exitCode : Cli.Run(args);
