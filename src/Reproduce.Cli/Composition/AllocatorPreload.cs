using System.Runtime.InteropServices;
using Reproduce.Core.Execution;

namespace Reproduce.Cli.Composition;

/// <summary>
/// Puts a verb that trains on jemalloc (<see cref="NativeAllocator"/>): the process replaces itself (<c>execve</c>) with
/// the same command line and jemalloc preloaded. It keeps its process id, standard streams and parent, so a run that
/// watches or signals its cell process sees no difference.
/// </summary>
internal static class AllocatorPreload
{
    /// <summary>
    /// Starts this process again on jemalloc when <see cref="NativeAllocator.PreloadFor"/> says so; returns only when it
    /// does not, or when the exec failed (then with a warning on stderr, and the verb runs on glibc's malloc).
    /// </summary>
    public static void Apply()
    {
        if (NativeAllocator.PreloadFor(Environment.GetEnvironmentVariable, File.Exists) is not { } added
            || Environment.ProcessPath is not { } program
            || CommandLine() is not { Length: > 0 } arguments)
        {
            return;
        }

        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        foreach (var (name, value) in added)
        {
            environment[name] = value;
        }

        Console.Out.Flush();
        Console.Error.Flush();
        string?[] argv = [.. arguments, null];
        string?[] envp = [.. environment.Select(e => $"{e.Key}={e.Value}"), null];
        Execve(program, argv, envp);
        Console.Error.WriteLine($"warning: could not restart on jemalloc ({added["LD_PRELOAD"]}): errno {Marshal.GetLastPInvokeError()}; running on glibc's malloc");
    }

    /// <summary>This process's argv as the kernel holds it (the host, the assembly and the verb's arguments alike).</summary>
    private static string[]? CommandLine()
    {
        try
        {
            return File.ReadAllText("/proc/self/cmdline").Split('\0')[..^1];
        }
        catch (IOException)
        {
            return null;
        }
    }

    // LPStr is UTF-8 on Linux, the only system that gets here.
    [DllImport("libc", EntryPoint = "execve", SetLastError = true)]
    private static extern int Execve([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] argv, [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] envp);
}
