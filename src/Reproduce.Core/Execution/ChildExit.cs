namespace Reproduce.Core.Execution;

/// <summary>How a child process ended, read from the exit code .NET reports for it.</summary>
public static class ChildExit
{
    /// <summary>The signal that ended a child, or null: .NET reports a child ended by signal N as exit code 128 + N.</summary>
    public static int? Signal(int exitCode) => exitCode > 128 && exitCode < 128 + 64 ? exitCode - 128 : null;

    /// <summary>A signal's name and what usually sends it, for messages.</summary>
    public static string Meaning(int signal) => signal switch
    {
        9 => "SIGKILL: the kernel's out-of-memory killer sends it when memory runs out, or someone killed the process",
        6 => "SIGABRT: a native library aborted",
        11 => "SIGSEGV: a native library crashed",
        8 => "SIGFPE: a native library divided by zero",
        7 => "SIGBUS",
        4 => "SIGILL: an instruction this CPU does not have",
        15 => "SIGTERM",
        _ => "a signal",
    };
}
