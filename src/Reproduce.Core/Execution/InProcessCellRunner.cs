using System.Text.Json.Nodes;
using Reproduce.Core.Cache;
using Reproduce.Core.Errors;
using Reproduce.Core.Keys;
using Reproduce.Core.Stages;

namespace Reproduce.Core.Execution;

/// <summary>
/// Computes a cell in this process: takes its lock, checks the cache again, runs the stage into the cell's work
/// directory and publishes it with its spec and meta. The same code runs a light cell inside <c>reproduce run</c> and
/// a heavy one inside the child process <c>reproduce run-cell</c> starts for it.
/// </summary>
/// <param name="ownProcess">Whether this process computes this one cell only, so its peak resident set is the cell's.</param>
public sealed class InProcessCellRunner(StageRegistry stages, CacheStore cache, Roots roots, RunSettings settings, TimeProvider clock, JsonObject provenance, bool ownProcess = false) : ICellRunner
{
    public async Task<CellRunResult> RunAsync(CellRun run, CancellationToken cancellationToken)
    {
        var spec = run.Spec;
        var cellLock = cache.TryLock(spec.Key, LockOwner.Current(clock));
        if (cellLock is null)
        {
            return new CellRunResult(CellRunStatus.Locked, CellLock.ReadOwner(cache.LockPath(spec.Key)));
        }

        using (cellLock)
        {
            if (!run.Force && cache.TryReadComplete(spec.Stage, spec.Key) is not null)
            {
                return CellRunResult.Cached;
            }

            var stage = stages.Get(spec.Stage);
            var upstream = spec.Upstream.Select(u => UpstreamOutputOf(spec, u.Address, u.Key)).ToList();
            var work = cache.WorkDirectory(spec.Stage, spec.Key);
            var resuming = stage.Descriptor.Resumable && !run.Force && Directory.Exists(work);
            if (!resuming)
            {
                cache.DiscardWork(spec.Stage, spec.Key);
            }

            Directory.CreateDirectory(work);
            run.Started();
            var started = clock.GetUtcNow();
            try
            {
                var context = new CellContext
                {
                    Spec = spec,
                    WorkDirectory = work,
                    Resuming = resuming,
                    Upstream = upstream,
                    Roots = roots,
                    Settings = settings,
                    Progress = run.Progress,
                    Clock = clock,
                };
                var result = await stage.RunAsync(context, cancellationToken);
                spec.Write(Path.Combine(work, CellSpec.FileName));
                cache.Publish(MetaOf(spec, started, result), work);
                return CellRunResult.Computed;
            }
            catch
            {
                // A resumable stage keeps its checkpoints for the next run; any other stage starts clean.
                if (!stage.Descriptor.Resumable)
                {
                    cache.DiscardWork(spec.Stage, spec.Key);
                }

                throw;
            }
        }
    }

    private UpstreamOutput UpstreamOutputOf(CellSpec spec, Cells.CellAddress address, string key)
    {
        var meta = cache.TryReadComplete(address.Stage, key)
            ?? throw new EnvironmentException($"{spec.Address} needs {address} ({key}), which is not in the cache {cache.Root}: compute it first ('reproduce run' computes upstream cells in order)");
        return new UpstreamOutput(address, key, cache.CellDirectory(address.Stage, key), meta);
    }

    private CellMeta MetaOf(CellSpec spec, DateTimeOffset started, StageResult result)
    {
        var cellProvenance = provenance.DeepClone().AsObject();
        cellProvenance["threads"] = settings.Threads;
        cellProvenance["device"] = settings.Device;
        if (Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES") is { } visible)
        {
            cellProvenance["cuda_visible_devices"] = visible;
        }

        if (ownProcess && ProcessMemory.PeakResidentBytes() is { } peak)
        {
            cellProvenance[ExecutionReport.PeakResidentField] = peak;
        }

        return new CellMeta
        {
            Key = spec.Key,
            Address = spec.Address.Text,
            Components = spec.Components,
            Started = started,
            Finished = clock.GetUtcNow(),
            Host = Environment.MachineName,
            Provenance = cellProvenance,
            Metrics = result.Metrics ?? [],
            Details = result.Details ?? [],
        };
    }
}
