using Reproduce.Core.Randomness;

namespace Reproduce.Data.Datasets.Synthetic;

/// <summary>
/// CT-like phantoms (DESIGN.md §4) in Hounsfield units, drawn from a seeded generator so the same
/// seed gives the same image everywhere. Labels are learnable but not trivial: the finding is
/// small and faint against anatomy that varies from image to image, and noise is CT-like: from scratch, the
/// quickstart's fine-tuning reaches a test AUC of about 0.8 on COVID and Brain, and 0.5 with shuffled labels
/// (SyntheticTaskDifficultyTests). A change to what is drawn here bumps Identifiers.SyntheticGeneratorVersion.
/// </summary>
public static class Phantoms
{
    public const float Air = -1000;

    /// <summary>
    /// An axial chest slice: body, two lungs, heart, spine, vessels. <paramref name="lungScale"/>
    /// (0–1) shrinks the lungs towards the apex and base of a series. With
    /// <paramref name="groundGlass"/>, two to four ground-glass opacities (+200 to +350 HU)
    /// sit inside the lungs, the COVID-CT stand-in's finding.
    /// </summary>
    public static float[] Chest(int size, SplitMix64 random, bool groundGlass, double lungScale = 1.0)
    {
        var canvas = new Canvas(size, Air);
        var jitter = () => (random.NextDouble() - 0.5) * 0.04;
        canvas.FillEllipse(0.5 + jitter(), 0.52 + jitter(), 0.42 + jitter(), 0.31 + jitter(), 30);
        var lungRx = 0.14 * lungScale * (0.9 + (0.2 * random.NextDouble()));
        var lungRy = 0.21 * lungScale * (0.9 + (0.2 * random.NextDouble()));
        if (lungScale > 0.05)
        {
            canvas.FillEllipse(0.33 + jitter(), 0.5 + jitter(), lungRx, lungRy, -850, 0.15);
            canvas.FillEllipse(0.67 + jitter(), 0.5 + jitter(), lungRx, lungRy, -850, -0.15);
        }

        canvas.FillEllipse(0.52 + jitter(), 0.56 + jitter(), 0.09, 0.08, 45);
        canvas.FillEllipse(0.5, 0.78 + (jitter() / 2), 0.045, 0.04, 650);
        var lungs = canvas.Where(-900, -800);
        for (var i = 0; i < 12; i++)
        {
            // Vessels: small bright dots inside the lungs, present in every image.
            canvas.AddBlobWithin(0.2 + (0.6 * random.NextDouble()), 0.3 + (0.4 * random.NextDouble()), 0.012, 0.012, 600, lungs);
        }

        if (groundGlass)
        {
            var count = 2 + random.NextInt(3);
            for (var i = 0; i < count; i++)
            {
                var radius = 0.05 + (0.05 * random.NextDouble());
                var x = random.NextInt(2) == 0 ? 0.33 : 0.67;
                canvas.AddBlobWithin(x + ((random.NextDouble() - 0.5) * 0.12), 0.5 + ((random.NextDouble() - 0.5) * 0.25), radius, radius, 200 + (150 * (float)random.NextDouble()), lungs);
            }
        }

        canvas.AddNoise(random, 25);
        return canvas.Pixels;
    }

    /// <summary>
    /// An axial head slice: skull, brain, ventricles. With <paramref name="bleed"/>, one small
    /// hyperdense region (radius 5–8% of the image, +50 to +70 HU over brain at its centre) sits in the brain, the hemorrhage stand-in.
    /// </summary>
    public static float[] Head(int size, SplitMix64 random, bool bleed)
    {
        var canvas = new Canvas(size, Air);
        var jitter = () => (random.NextDouble() - 0.5) * 0.04;
        var (cx, cy, rx, ry) = (0.5 + jitter(), 0.5 + jitter(), 0.36 + jitter(), 0.43 + jitter());
        canvas.FillEllipse(cx, cy, rx, ry, 900);
        canvas.FillEllipse(cx, cy, rx - 0.035, ry - 0.035, 35);
        var brain = canvas.Where(20, 50);
        canvas.FillEllipse(cx - 0.05, cy + jitter(), 0.025, 0.08 + jitter(), 8, 0.2);
        canvas.FillEllipse(cx + 0.05, cy + jitter(), 0.025, 0.08 + jitter(), 8, -0.2);
        if (bleed)
        {
            var angle = 2 * Math.PI * random.NextDouble();
            var distance = 0.1 + (0.15 * random.NextDouble());
            var radius = 0.05 + (0.03 * random.NextDouble());
            canvas.AddBlobWithin(cx + (distance * Math.Cos(angle)), cy + (distance * Math.Sin(angle)), radius, radius * 0.8, 50 + (20 * (float)random.NextDouble()), brain);
        }

        canvas.AddNoise(random, 10);
        return canvas.Pixels;
    }

    /// <summary>
    /// A sagittal organ crop in gray levels (0–255, MedMNIST is windowed already): each organ has its
    /// own shape, brightness and position, varied per image, over textured surroundings.
    /// </summary>
    public static float[] Organ(int size, SplitMix64 random, int organ)
    {
        var canvas = new Canvas(size, 90);
        for (var i = 0; i < 6; i++)
        {
            canvas.AddBlob(random.NextDouble(), random.NextDouble(), 0.15 + (0.2 * random.NextDouble()), 0.15 + (0.2 * random.NextDouble()), (float)((random.NextDouble() - 0.5) * 60));
        }

        var j = () => (random.NextDouble() - 0.5) * 0.1;
        var (cx, cy, rx, ry, gray, angle) = organ switch
        {
            0 => (0.5, 0.6, 0.2, 0.17, 70.0, 0.0),
            1 => (0.35, 0.5, 0.11, 0.11, 230.0, 0.0),
            2 => (0.65, 0.5, 0.11, 0.11, 230.0, 0.0),
            3 => (0.5, 0.45, 0.28, 0.24, 150.0, 0.5),
            4 => (0.38, 0.5, 0.12, 0.22, 170.0, 0.3),
            5 => (0.62, 0.5, 0.12, 0.22, 170.0, -0.3),
            6 => (0.5, 0.5, 0.36, 0.28, 140.0, -0.2),
            7 => (0.38, 0.5, 0.16, 0.32, 25.0, 0.1),
            8 => (0.62, 0.5, 0.16, 0.32, 25.0, -0.1),
            9 => (0.5, 0.5, 0.3, 0.09, 120.0, 0.35),
            10 => (0.5, 0.5, 0.17, 0.24, 155.0, 0.8),
            _ => throw new ArgumentOutOfRangeException(nameof(organ), organ, "organs are 0-10"),
        };
        canvas.FillEllipse(cx + j(), cy + j(), rx * (0.85 + (0.3 * random.NextDouble())), ry * (0.85 + (0.3 * random.NextDouble())), (float)(gray + ((random.NextDouble() - 0.5) * 40)), angle + j());
        canvas.AddNoise(random, 12);
        return canvas.Pixels.Select(p => Math.Clamp(p, 0f, 255f)).ToArray();
    }
}
