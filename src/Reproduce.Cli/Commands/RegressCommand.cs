using System.CommandLine;
using Reproduce.Core.Errors;
using Reproduce.Evaluation.Aggregation;
using Reproduce.Evaluation.Regression;

namespace Reproduce.Cli.Commands;

/// <summary>
/// <c>reproduce regress</c>: compares an experiment's headline metrics (every aggregate's summary, from the cache) with
/// its baseline and prints the comparison as a table; exit code 4 when any metric is outside its band.
/// </summary>
internal static class RegressCommand
{
    public static Command Create(CommonOptions common)
    {
        var baseline = new Option<string>("--baseline") { Description = "the expected metrics (default: results/baselines/<experiment>.json)" };
        var command = new Command("regress", "compare the experiment's headline metrics with results/baselines/<experiment>.json");
        command.Options.Add(common.Manifest);
        command.Options.Add(common.Device);
        command.Options.Add(baseline);
        command.SetAction(result =>
        {
            var session = common.OpenSession(result);
            var path = result.GetValue(baseline) ?? session.BaselinePath;
            var report = RegressionCheck.Compare(Baseline.Read(path), ExperimentSummaries.Read(session.Manifest.Experiment, session.Graph, session.Keys, session.Cache));
            Console.WriteLine($"baseline: {Path.GetRelativePath(Directory.GetCurrentDirectory(), path)}");
            Console.WriteLine(report.Table());
            return report.Passed ? ExitCodes.Success : ExitCodes.Regression;
        });
        return command;
    }
}
