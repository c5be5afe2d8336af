using System.IO.Compression;
using Reproduce.Core.IO;

namespace Reproduce.Data.Arrays;

/// <summary>
/// Writes a NumPy .npz the way numpy.savez_compressed does: a zip of deflated <c>&lt;name&gt;.npy</c> members,
/// in the order given. Every member carries the same fixed time stamp (1980-01-01, the zip epoch) instead of
/// the clock's, so the same arrays always give the same bytes.
/// </summary>
public static class NpzWriter
{
    private static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes the arrays to <paramref name="path"/>, beside it first and then renamed into place.</summary>
    public static void Write(string path, IReadOnlyList<(string Name, NpyArray Array)> arrays)
    {
        var duplicate = arrays.GroupBy(a => a.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"array name '{duplicate.Key}' is given more than once", nameof(arrays));
        }

        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, array) in arrays)
            {
                var entry = zip.CreateEntry(name + ".npy", CompressionLevel.Optimal);
                entry.LastWriteTime = FixedTime;
                using var member = entry.Open();
                NpyWriter.Write(member, array);
            }
        });
    }
}
