using System.CommandLine;
using Reproduce.Core.Planning;

namespace Reproduce.Cli.Commands;

/// <summary><c>reproduce plan</c>: the dry run. Every selected cell with its status and reason, and the counts per stage.</summary>
internal static class PlanCommand
{
    public static Command Create(CommonOptions common)
    {
        var all = new Option<bool>("--all") { Description = "list cached cells too" };
        var command = new Command("plan", "show what a run would compute and why, without running anything");
        common.AddSelection(command);
        command.Options.Add(common.Force);
        command.Options.Add(all);
        command.SetAction(result =>
        {
            var session = common.OpenSession(result);
            var plan = session.Plan(common.FilterFrom(result), result.GetValue(common.Force));
            Console.WriteLine($"experiment {session.Manifest.Experiment} ({string.Join(" <- ", session.Manifest.Files.Select(Path.GetFileName))}), cache {session.Cache.Root}");
            session.PrintLeftOutInits(Console.Out);
            Print(plan, result.GetValue(all));
            return 0;
        });
        return command;
    }

    public static void Print(Plan plan, bool includeCached)
    {
        foreach (var entry in plan.Entries.Where(e => includeCached || e.WillRun))
        {
            var role = entry.Selected ? "" : " (needed upstream)";
            Console.WriteLine($"{PlanFormatter.Status(entry.Status),-10} {entry.Cell.Address}{role}  {entry.Key[..12]}  {PlanFormatter.Reason(entry)}");
        }

        Console.WriteLine();
        Console.WriteLine(PlanFormatter.Summary(plan));
    }
}
