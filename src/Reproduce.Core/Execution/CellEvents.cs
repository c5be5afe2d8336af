using System.Text.Json;
using System.Text.Json.Nodes;
using Reproduce.Core.Cache;
using Reproduce.Core.Errors;
using Reproduce.Core.Stages;

namespace Reproduce.Core.Execution;

/// <summary>
/// The line protocol from a cell's own process (<c>reproduce run-cell KEY --events</c>) to the run that started it:
/// one JSON object per line on the child's standard output, with an <c>event</c> of <c>started</c> (the lock is
/// held and the cell is missing), <c>progress</c>, <c>message</c>, and last <c>finished</c> (computed, cached or
/// locked, with the holder) or <c>failed</c> (the error's message and exit code). A process that ends without a
/// last event died: its exit status says how.
/// </summary>
public static class CellEvents
{
    public const string Started = "started";
    public const string Progress = "progress";
    public const string Message = "message";
    public const string Finished = "finished";
    public const string Failed = "failed";

    /// <summary>The event a line holds, or null for a line that is not one (text a native library printed).</summary>
    public static JsonObject? TryParse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(line) is JsonObject json && json["event"] is JsonValue ? json : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string StatusName(CellRunStatus status) => status.ToString().ToLowerInvariant();

    public static CellRunResult ResultOf(JsonObject finished) => new(
        Enum.Parse<CellRunStatus>(finished["status"]!.GetValue<string>(), ignoreCase: true),
        finished["holder"] is JsonObject holder ? LockOwner.TryParse(holder.ToJsonString()) : null);

    public static Exception ErrorOf(JsonObject failed)
    {
        var message = failed["message"]?.GetValue<string>() ?? "the cell failed";
        var exitCode = failed["exit_code"]?.GetValue<int>() ?? ExitCodes.CellFailed;
        return exitCode == ExitCodes.Environment ? new EnvironmentException(message) : new CellProcessException(message, exitCode);
    }
}

/// <summary>The child's side of <see cref="CellEvents"/>: writes each event as one flushed line; a parent that went away is ignored.</summary>
public sealed class CellEventWriter(TextWriter output, TimeProvider clock) : ICellProgress
{
    /// <summary>Progress more often than this is dropped (the last report of a count always goes out).</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

    private readonly Lock gate = new();
    private DateTimeOffset lastProgress = DateTimeOffset.MinValue;

    public void Started() => Write(new JsonObject { ["event"] = CellEvents.Started });

    public void Report(double done, double total, string unit)
    {
        var now = clock.GetUtcNow();
        lock (gate)
        {
            if (now - lastProgress < ProgressInterval && done < total)
            {
                return;
            }

            lastProgress = now;
        }

        Write(new JsonObject { ["event"] = CellEvents.Progress, ["done"] = done, ["total"] = total, ["unit"] = unit });
    }

    public void Message(string text) => Write(new JsonObject { ["event"] = CellEvents.Message, ["text"] = text });

    public void Finished(CellRunResult result) => Write(new JsonObject
    {
        ["event"] = CellEvents.Finished,
        ["status"] = CellEvents.StatusName(result.Status),
        ["holder"] = result.Holder?.ToJson(),
    });

    public void Failed(string message, int exitCode) => Write(new JsonObject { ["event"] = CellEvents.Failed, ["message"] = message, ["exit_code"] = exitCode });

    private void Write(JsonObject json)
    {
        var line = json.ToJsonString();
        lock (gate)
        {
            try
            {
                output.WriteLine(line);
                output.Flush();
            }
            catch (IOException)
            {
                // The run that reads these lines is gone; the cell still finishes (or stops) on its own.
            }
        }
    }
}
