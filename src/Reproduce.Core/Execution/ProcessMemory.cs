using System.Globalization;

namespace Reproduce.Core.Execution;

/// <summary>
/// The resident set of a process as Linux reports it in <c>/proc/&lt;pid&gt;/status</c>: now (VmRSS) and its peak
/// so far (VmHWM). Null where there is no such file (another OS, a process that has exited).
/// </summary>
public static class ProcessMemory
{
    /// <summary>The resident set of <paramref name="processId"/> (this process when null), in bytes.</summary>
    public static long? ResidentBytes(int? processId = null) => Read(processId, "VmRSS:");

    /// <summary>The peak resident set of <paramref name="processId"/> (this process when null), in bytes.</summary>
    public static long? PeakResidentBytes(int? processId = null) => Read(processId, "VmHWM:");

    /// <summary>
    /// Sets this process's peak (VmHWM) back to its resident set now, so that a later <see cref="PeakResidentBytes"/> is the
    /// peak since this call: writing 5 to <c>/proc/self/clear_refs</c> (Linux 4.0 and later). False where that is refused.
    /// </summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long? Read(int? processId, string field)
    {
        var path = $"/proc/{(processId is { } id ? id.ToString(CultureInfo.InvariantCulture) : "self")}/status";
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    // "VmHWM:	  123456 kB"
                    var kilobytes = line[field.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
