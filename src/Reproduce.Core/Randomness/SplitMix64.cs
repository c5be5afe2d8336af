using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Reproduce.Core.Randomness;

/// <summary>
/// A small, fully specified random generator (SplitMix64, Steele, Lea and Flood 2014) for
/// everything that must come out the same on every machine and .NET version: splits, reductions,
/// synthetic data. <c>System.Random</c> makes no such promise across versions.
/// </summary>
public sealed class SplitMix64
{
    private ulong state;

    public SplitMix64(ulong seed)
    {
        state = seed;
    }

    /// <summary>A generator for one named purpose under an experiment seed, e.g. ("kfold", 42).</summary>
    public static SplitMix64 For(long seed, string purpose)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}/{purpose}"));
        return new SplitMix64(BinaryPrimitives.ReadUInt64LittleEndian(digest));
    }

    public ulong NextUInt64()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform double in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), without modulo bias (Lemire's method).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var limit = (ulong)bound;
        var product = Math.BigMul(NextUInt64(), limit, out var low);
        if (low < limit)
        {
            var threshold = (0 - limit) % limit;
            while (low < threshold)
            {
                product = Math.BigMul(NextUInt64(), limit, out low);
            }
        }

        return (int)product;
    }

    /// <summary>Shuffles in place (Fisher–Yates).</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
