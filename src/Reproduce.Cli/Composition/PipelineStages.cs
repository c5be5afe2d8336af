using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Data.Datasets;
using Reproduce.Data.Downloads;
using Reproduce.Data.Preprocessing;
using Reproduce.Evaluation.Aggregation;
using Reproduce.Evaluation.Rendering;
using Reproduce.Learning.Finetuning;
using Reproduce.Learning.Pretraining;
using Reproduce.Learning.Probing;

namespace Reproduce.Cli.Composition;

/// <summary>Wires every pipeline stage to its implementation. No stage knows a manifest: each reads its cell's spec.</summary>
internal static class PipelineStages
{
    public static StageRegistry Create() => new(
    [
        new DownloadStage(Http.Value, RetryPolicy.Default, Environment.GetEnvironmentVariable),
        new PreprocessStage(),
        new PretrainStage(),
        new FinetuneStage(),
        new FeaturesStage(),
        new ProbeStage(),
        new AggregateStage(),
        new RenderStage(),
    ]);

    /// <summary>
    /// One client for the process (connections are pooled), created on first use. The timeout covers
    /// a response's headers; the body of a large series zip streams for as long as it needs.
    /// </summary>
    private static readonly Lazy<HttpClient> Http = new(() =>
    {
        var client = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("reproduce/1.0");
        return client;
    });
}
