using System.Text.Json.Nodes;

namespace Reproduce.Core.Cache;

/// <summary>Who holds a cell lock, as recorded next to it for messages and <c>reproduce status</c>.</summary>
public sealed record LockOwner(int ProcessId, string Host, DateTimeOffset Since)
{
    public static LockOwner Current(TimeProvider clock) =>
        new(Environment.ProcessId, Environment.MachineName, clock.GetUtcNow());

    /// <summary>
    /// Whether <paramref name="processId"/> of <paramref name="host"/> is known to be gone: only a process of this host
    /// can be looked up; one elsewhere may still run.
    /// </summary>
    public static bool IsDeadHere(string host, int processId)
    {
        if (host != Environment.MachineName)
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    public JsonObject ToJson() => new()
    {
        ["pid"] = ProcessId,
        ["host"] = Host,
        ["since"] = Since.ToString("O"),
    };

    public static LockOwner? TryParse(string text)
    {
        try
        {
            var json = JsonNode.Parse(text)!.AsObject();
            return new LockOwner(
                json["pid"]!.GetValue<int>(),
                json["host"]!.GetValue<string>(),
                DateTimeOffset.Parse(json["since"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NullReferenceException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    public override string ToString() => $"pid {ProcessId} on {Host} since {Since:u}";
}
