using Reproduce.Core.Randomness;

namespace Reproduce.Data.Datasets.Synthetic;

/// <summary>
/// A square float image in Hounsfield units (or gray levels) with the few drawing operations the
/// phantoms need. Coordinates are fractions of the side, so a phantom looks the same at every size.
/// </summary>
internal sealed class Canvas(int size, float background)
{
    public int Size { get; } = size;

    public float[] Pixels { get; } = Enumerable.Repeat(background, size * size).ToArray();

    /// <summary>Sets every pixel inside the (rotated) ellipse to <paramref name="value"/>.</summary>
    public void FillEllipse(double cx, double cy, double rx, double ry, float value, double angle = 0) =>
        Apply(cx, cy, rx, ry, angle, (index, _) => Pixels[index] = value);

    /// <summary>Adds <paramref name="amount"/> × a smooth bump (1 at the centre, 0 at the rim) inside the ellipse.</summary>
    public void AddBlob(double cx, double cy, double rx, double ry, float amount, double angle = 0) =>
        Apply(cx, cy, rx, ry, angle, (index, r2) => Pixels[index] += Bump(amount, r2));

    /// <summary>Like <see cref="AddBlob"/>, but only where <paramref name="mask"/> is true (e.g. inside the lungs).</summary>
    public void AddBlobWithin(double cx, double cy, double rx, double ry, float amount, bool[] mask) =>
        Apply(cx, cy, rx, ry, 0, (index, r2) =>
        {
            if (mask[index])
            {
                Pixels[index] += Bump(amount, r2);
            }
        });

    /// <summary>Which pixels currently hold a value within [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public bool[] Where(float low, float high) => Pixels.Select(p => p >= low && p <= high).ToArray();

    public void AddNoise(SplitMix64 random, double sigma)
    {
        for (var i = 0; i < Pixels.Length; i++)
        {
            Pixels[i] += (float)(sigma * Gaussian(random));
        }
    }

    /// <summary>A standard normal draw (Box–Muller; one of the pair is enough here).</summary>
    public static double Gaussian(SplitMix64 random)
    {
        var u = 1.0 - random.NextDouble();
        var v = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    private static float Bump(float amount, double r2) => amount * (float)((1 - r2) * (1 - r2));

    /// <summary>Calls <paramref name="action"/>(pixel index, squared normalised radius) for each pixel inside the ellipse.</summary>
    private void Apply(double cx, double cy, double rx, double ry, double angle, Action<int, double> action)
    {
        var (cos, sin) = (Math.Cos(angle), Math.Sin(angle));
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                var px = ((x + 0.5) / Size) - cx;
                var py = ((y + 0.5) / Size) - cy;
                var u = ((px * cos) + (py * sin)) / rx;
                var v = ((-px * sin) + (py * cos)) / ry;
                var r2 = (u * u) + (v * v);
                if (r2 < 1)
                {
                    action((y * Size) + x, r2);
                }
            }
        }
    }
}
