using Reproduce.Core.Keys;

namespace Reproduce.Core.Stages;

/// <summary>The stages an executor can run, by name.</summary>
public sealed class StageRegistry : IStageIdentities
{
    private readonly Dictionary<string, IStage> stages = [];

    public StageRegistry(IEnumerable<IStage> stages)
    {
        foreach (var stage in stages)
        {
            if (!this.stages.TryAdd(stage.Descriptor.Name, stage))
            {
                throw new ArgumentException($"stage '{stage.Descriptor.Name}' is registered twice", nameof(stages));
            }
        }
    }

    public IStage Get(string name) => stages.TryGetValue(name, out var stage)
        ? stage
        : throw new InvalidOperationException($"no stage named '{name}' is registered (registered: {string.Join(", ", stages.Keys)})");

    public StageDescriptor Descriptor(string name) => Get(name).Descriptor;

    public StageIdentity IdentityOf(string stage) => Descriptor(stage).Identity;
}
