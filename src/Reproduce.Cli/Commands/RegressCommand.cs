using System.CommandLine;
using Reproduce.Core.Errors;

namespace Reproduce.Cli.Commands;

/// <summary><c>reproduce regress</c>: compares an experiment's headline metrics with its baseline (issue 5/5).</summary>
internal static class RegressCommand
{
    public static Command Create(CommonOptions common)
    {
        var command = new Command("regress", "compare the experiment's headline metrics with results/baselines/<experiment>.json");
        command.Options.Add(common.Manifest);
        command.SetAction(Action);
        return command;

        static int Action(ParseResult result) =>
            throw new StageNotImplementedException("regress", "issue 5/5, CI regression");
    }
}
