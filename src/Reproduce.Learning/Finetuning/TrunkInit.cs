using System.Security.Cryptography;
using System.Text.Json;
using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Learning.Checkpoints;
using Reproduce.Learning.Models;
using Reproduce.Learning.Pretraining;

namespace Reproduce.Learning.Finetuning;

/// <summary>
/// A trunk's weights as its init gives them, for every stage that builds one from an init (fine-tuning and the probes'
/// features): left as built for <c>scratch</c>, the upstream pretrain cell's encoder for a method, the file for a file init.
/// </summary>
public static class TrunkInit
{
    /// <summary>A file init's cell: which tensors of the file were loaded, and which keys were missing or unexpected.</summary>
    public const string InitReportFile = "init.json";

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    public static void Load(CellContext context, ResNet trunk, string init, InitFileIdentity? file)
    {
        if (file is not null)
        {
            LoadInitFile(context, trunk, file);
        }
        else if (init != Identifiers.Scratch)
        {
            LoadEncoder(trunk, Path.Combine(context.UpstreamOf(StageNames.Pretrain).Directory, PretrainStage.EncoderFile));
        }
    }

    /// <summary>
    /// The pretrain cell's trunk into <paramref name="trunk"/>, strictly: the encoder file holds exactly the trunk's
    /// tensors in torchvision names (no fc), so any missing or extra name means an encoder of another architecture.
    /// </summary>
    public static void LoadEncoder(ResNet trunk, string path)
    {
        var (tensors, metadata) = SafeTensors.Read(path);
        try
        {
            if (metadata.TryGetValue("arch", out var arch) && arch != trunk.Options.Arch)
            {
                throw new DataFormatException(path, $"the encoder is a {arch}, but this fine-tuning builds a {trunk.Options.Arch}");
            }

            var expected = trunk.state_dict();
            var missing = expected.Keys.Except(tensors.Keys).ToList();
            var extra = tensors.Keys.Except(expected.Keys).ToList();
            var misshapen = expected.Keys.Intersect(tensors.Keys).Where(k => !expected[k].shape.SequenceEqual(tensors[k].shape)).ToList();
            if (missing.Count + extra.Count + misshapen.Count > 0)
            {
                throw new DataFormatException(path, $"the encoder does not fit a {trunk.Options.Arch} trunk: missing [{string.Join(", ", missing.Take(5))}], unexpected [{string.Join(", ", extra.Take(5))}], other shape [{string.Join(", ", misshapen.Take(5))}]");
            }

            trunk.load_state_dict(tensors);
        }
        finally
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>
    /// A file init into <paramref name="trunk"/>: the file must still be the one the cell's key names (its SHA-256), so a
    /// cached result never stands for weights it was not computed from.
    /// </summary>
    private static void LoadInitFile(CellContext context, ResNet trunk, InitFileIdentity identity)
    {
        var configured = ExperimentGraph.ReadRecord<ConfiguredPath>(context.Locations[ExperimentGraph.InitFileLocation]);
        var path = configured.Require($"init '{context.Parameters["init"]}'s file");
        if (!File.Exists(path))
        {
            throw new EnvironmentException($"init '{context.Parameters["init"]}'s file '{path}' does not exist");
        }

        string sha256;
        using (var stream = File.OpenRead(path))
        {
            sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        if (sha256 != identity.Sha256)
        {
            throw new EnvironmentException($"'{path}' changed after planning (SHA-256 {sha256}, the cell's key has {identity.Sha256}); plan and run again");
        }

        var report = ExternalInit.Load(trunk, path, identity.PrefixMap);
        context.Progress.Message(report.Summary());
        File.WriteAllText(Path.Combine(context.WorkDirectory, InitReportFile), report.ToJson(sha256).ToJsonString(IndentedJson));
    }

}
