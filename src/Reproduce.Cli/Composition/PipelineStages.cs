using Reproduce.Core.Execution;
using Reproduce.Core.Planning;

namespace Reproduce.Cli.Composition;

/// <summary>
/// Wires every pipeline stage to its implementation. Stages whose issue has not landed are
/// <see cref="NotImplementedStage"/>s: they plan like the others and fail clearly when run.
/// </summary>
internal static class PipelineStages
{
    public static StageRegistry Create() => new(
    [
        new NotImplementedStage(Stages.Download, "issue 2/5, Data"),
        new NotImplementedStage(Stages.Preprocess, "issue 2/5, Data"),
        new NotImplementedStage(Stages.Pretrain, "issue 3/5, Learning", usesTorch: true),
        new NotImplementedStage(Stages.Finetune, "issue 4/5, fine-tuning", usesTorch: true),
        new NotImplementedStage(Stages.Aggregate, "issue 4/5, aggregation"),
        new NotImplementedStage(Stages.Render, "issue 4/5, rendering"),
    ]);
}
