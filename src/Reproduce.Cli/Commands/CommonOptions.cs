using System.CommandLine;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;

namespace Reproduce.Cli.Commands;

/// <summary>The options several verbs share, declared once.</summary>
internal sealed class CommonOptions
{
    public Option<string> Manifest { get; } = new("--manifest")
    {
        Description = "the experiment manifest (YAML)",
        Required = true,
    };

    public Option<string> Device { get; } = new("--device")
    {
        Description = "cpu or cuda; the device type is part of the keys of TorchSharp stages",
        DefaultValueFactory = _ => "cpu",
    };

    public Option<bool> Force { get; } = new("--force")
    {
        Description = "recompute the selected cells even if cached",
    };

    public Option<string[]> Only { get; } = new("--only")
    {
        Description = "restrict to these stages: " + string.Join(", ", StageNames.All),
        AllowMultipleArgumentsPerToken = true,
    };

    public IReadOnlyDictionary<string, Option<string[]>> Filters { get; } = CellFilter.Dimensions.ToDictionary(
        d => d,
        d => new Option<string[]>("--" + d)
        {
            Description = $"select cells whose {d} is one of these values (repeat or separate with commas)",
            AllowMultipleArgumentsPerToken = true,
        });

    public void AddSelection(Command command)
    {
        command.Options.Add(Manifest);
        command.Options.Add(Device);
        command.Options.Add(Only);
        foreach (var option in Filters.Values)
        {
            command.Options.Add(option);
        }
    }

    public CellFilter FilterFrom(ParseResult result)
    {
        var values = Filters.ToDictionary(
            f => f.Key,
            f => (IReadOnlyList<string>)Split(result.GetValue(f.Value)));
        var stages = Split(result.GetValue(Only));
        foreach (var stage in stages.Where(s => !StageNames.All.Contains(s)))
        {
            throw new Core.Errors.UsageException($"--only '{stage}' is not a stage ({string.Join(", ", StageNames.All)})");
        }

        return CellFilter.Create(values, stages);
    }

    public Session OpenSession(ParseResult result) =>
        Session.Open(result.GetValue(Manifest)!, result.GetValue(Device)!);

    private static List<string> Split(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
