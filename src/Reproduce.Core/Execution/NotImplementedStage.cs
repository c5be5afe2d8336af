using Reproduce.Core.Errors;

namespace Reproduce.Core.Execution;

/// <summary>
/// Stands in for a stage whose implementation has not landed: it plans like any stage and fails
/// clearly when run. Version 0 so that the real implementation's version 1 re-keys its cells.
/// </summary>
public sealed class NotImplementedStage(string name, string plannedIn, bool usesTorch = false) : IStage
{
    public StageDescriptor Descriptor { get; } = new(name, 0, usesTorch);

    public Task<StageResult> RunAsync(CellContext context, CancellationToken cancellationToken) =>
        throw new StageNotImplementedException(name, plannedIn);
}
