using System.Text.Json.Nodes;
using Reproduce.Data.Splits;
using Reproduce.Data.Store;

namespace Reproduce.Learning.Tests.Pretraining;

/// <summary>A small unlabelled tensor store of seeded noise images, as the preprocess stage leaves LIDC.</summary>
internal static class TinyStore
{
    public static string Write(string directory, int count, int size)
    {
        using var writer = new TensorStoreWriter(directory, size, size);
        var random = new Random(3);
        for (var i = 0; i < count; i++)
        {
            var image = new byte[size * size];
            random.NextBytes(image);
            writer.Add($"slice{i}", StoreItem.Unlabelled, OfficialSplit.Train, $"slice{i}.dcm", image);
        }

        writer.Complete("lidc", [], new JsonObject());
        return directory;
    }
}
