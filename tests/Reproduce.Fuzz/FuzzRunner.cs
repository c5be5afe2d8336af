using Reproduce.Core.Errors;

namespace Reproduce.Fuzz;

/// <summary>What a reader made of one input: accepted, or refused with the message a user would read.</summary>
public sealed record FuzzOutcome(bool Accepted, string? Refusal);

/// <summary>
/// Runs one target on inputs, each written to the same file in a scratch folder of its own (the readers read paths,
/// as a run does). The folder is deleted on dispose.
/// </summary>
public sealed class FuzzRunner : IDisposable
{
    private readonly FuzzTarget target;
    private readonly string folder;

    public FuzzRunner(FuzzTarget target, string repositoryRoot)
    {
        this.target = target;
        folder = Directory.CreateTempSubdirectory($"reproduce-fuzz-{target.Name}-").FullName;
        if (target.Beside is { } beside)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(repositoryRoot, beside)))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }
        }

        InputPath = Path.Combine(folder, target.FileName);
    }

    /// <summary>The file each input is written to, which a refusal must name.</summary>
    public string InputPath { get; }

    /// <summary>Reads <paramref name="input"/>; an exception other than a <see cref="ReproduceException"/> escapes, as the bug it is.</summary>
    public FuzzOutcome Run(ReadOnlySpan<byte> input)
    {
        using (var file = File.Create(InputPath))
        {
            file.Write(input);
        }

        try
        {
            target.Read(InputPath);
            return new FuzzOutcome(true, null);
        }
        catch (ReproduceException e)
        {
            return new FuzzOutcome(false, e.Message);
        }
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
