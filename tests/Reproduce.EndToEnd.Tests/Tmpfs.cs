using System.Diagnostics;
using System.Globalization;

namespace Reproduce.EndToEnd.Tests;

/// <summary>
/// A small tmpfs mounted on a folder: a disk that fills up, for real, at a size a test chooses, and that can be made
/// larger in place (tmpfs takes <c>remount,size=</c>), keeping what it holds. Unmounted (and its content gone) on dispose.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    private Tmpfs(string folder) => Folder = folder;

    public string Folder { get; }

    public static Tmpfs Mount(string folder, long megabytes)
    {
        Directory.CreateDirectory(folder);
        MountCommand("-t", "tmpfs", "-o", SizeOption(megabytes), "tmpfs", folder);
        return new Tmpfs(folder);
    }

    /// <summary>Whether this process may mount a tmpfs: root, with the capability to mount, as in CI.</summary>
    public static bool CanMount()
    {
        var probe = Directory.CreateTempSubdirectory("reproduce-tmpfs-probe-").FullName;
        try
        {
            using var mounted = Mount(probe, 1);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            Directory.Delete(probe);
        }
    }

    public void Resize(long megabytes) => MountCommand("-o", $"remount,{SizeOption(megabytes)}", Folder);

    public void Dispose() => Run("umount", Folder);

    private static string SizeOption(long megabytes) => $"size={megabytes.ToString(CultureInfo.InvariantCulture)}m";

    private static void MountCommand(params string[] arguments) => Run("mount", arguments);

    private static void Run(string command, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
            var error = process.StandardError.ReadToEnd();
            if (!process.WaitForExit(30_000) || process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed: {error.Trim()}");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{command} cannot be started: {e.Message}", e);
        }
    }
}

/// <summary>
/// A test that needs <see cref="Tmpfs"/>: skipped where this process may not mount one, unless
/// REPRODUCE_REQUIRE_TMPFS=1 (set by .ci/run, which runs as root), where the test then fails instead.
/// </summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("REPRODUCE_REQUIRE_TMPFS") != "1" && !Tmpfs.CanMount())
        {
            Skip = "mounting a tmpfs (a small disk that fills up) needs root with CAP_SYS_ADMIN; .ci/run has it and sets REPRODUCE_REQUIRE_TMPFS=1";
        }
    }
}
