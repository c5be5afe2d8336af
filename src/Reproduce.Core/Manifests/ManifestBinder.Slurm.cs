namespace Reproduce.Core.Manifests;

internal sealed partial class ManifestBinder
{
    /// <summary>The <c>slurm</c> section: <c>default</c> and stage names, each a map of <see cref="SlurmResources.Settings"/>.</summary>
    private static SlurmSpec BindSlurm(NodeReader? section)
    {
        if (section is null)
        {
            return SlurmSpec.None;
        }

        var byStage = new Dictionary<string, SlurmResources>(StringComparer.Ordinal);
        var defaults = SlurmResources.None;
        foreach (var name in StageNames.All.Prepend(SlurmSpec.DefaultName))
        {
            if (section.Take(name) is not { } entry)
            {
                continue;
            }

            var resources = BindResources(section.MapOrEmpty(entry, $"slurm.{name}"));
            if (name == SlurmSpec.DefaultName)
            {
                defaults = resources;
            }
            else
            {
                byStage[name] = resources;
            }
        }

        section.RejectUnknownKeys();
        return new SlurmSpec(defaults, byStage);
    }

    private static SlurmResources BindResources(NodeReader block)
    {
        var resources = SlurmResources.None;
        foreach (var setting in SlurmResources.Settings.Keys)
        {
            var entry = block.Take(setting);
            if (entry is null || entry.Value is ScalarNode { IsNull: true })
            {
                continue;
            }

            var values = setting == "sbatch"
                ? entry.Value is ListNode list ? list.Items : Refuse(entry.Value, "a list")
                : [entry.Value];
            foreach (var node in values)
            {
                if (node is not ScalarNode { IsNull: false } scalar)
                {
                    block.Error(node.At, $"'{block.Path}.{setting}' must be {SlurmResources.Settings[setting]}, found {node.KindName}");
                    continue;
                }

                var (changed, error) = resources.With(setting, scalar.Value);
                if (changed is null)
                {
                    block.Error(node.At, $"'{block.Path}.{setting}': {error}");
                    continue;
                }

                resources = changed;
            }
        }

        block.RejectUnknownKeys();
        return resources;

        IReadOnlyList<ManifestNode> Refuse(ManifestNode node, string expected)
        {
            block.Error(node.At, $"'{block.Path}.sbatch' must be {expected}, found {node.KindName}");
            return [];
        }
    }
}
