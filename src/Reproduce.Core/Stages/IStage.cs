namespace Reproduce.Core.Stages;

/// <summary>
/// One pipeline stage (download, preprocess, pretrain, finetune, aggregate, render, or a test stage).
/// A stage reads only its cell's parameters and upstream outputs, writes only into
/// <see cref="CellContext.WorkDirectory"/>, and throws on failure; the engine publishes the
/// directory atomically when it returns.
/// </summary>
public interface IStage
{
    StageDescriptor Descriptor { get; }

    Task<StageResult> RunAsync(CellContext context, CancellationToken cancellationToken);
}
