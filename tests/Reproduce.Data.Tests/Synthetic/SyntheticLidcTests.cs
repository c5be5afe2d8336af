using Reproduce.Core.Manifests;
using Reproduce.Data.Datasets;
using Reproduce.Data.Dicom;
using Reproduce.Data.Tests.Dicom;

namespace Reproduce.Data.Tests.Synthetic;

/// <summary>
/// The LIDC stand-in is a LIDC-IDRI tree of valid DICOM series with the real collection's quirks: the vendor
/// conventions (padding, sign, bits, implicit VR), a duplicate z position, annotation XML beside the slices,
/// a second CT study and a CR series, all read back by the project's DICOM reader (and by dcmdump).
/// </summary>
public sealed class SyntheticLidcTests(SyntheticLidcTests.Written written) : IClassFixture<SyntheticLidcTests.Written>
{
    private const int Size = 32;
    private const int Slices = 5;
    private static readonly SyntheticSpec Spec = new() { Size = Size, Series = 4, SlicesPerSeries = Slices };

    private readonly TempFolder folder = written.Folder;
    private readonly List<(string Path, DicomDataset Dataset)> dicom = written.Dicom;

    /// <summary>The stand-in, written once for all tests of the class, with its DICOM files parsed.</summary>
    public sealed class Written : IDisposable
    {
        public Written()
        {
            Folder = SyntheticTestSupport.Write(Identifiers.Lidc, Spec);
            Dicom = [.. SyntheticTestSupport.Files(Folder.Path)
                .Where(path => !path.EndsWith(".xml", StringComparison.Ordinal))
                .Select(path => (path, DicomFile.Read(Path.Combine(Folder.Path, path))))];
        }

        public TempFolder Folder { get; }

        public List<(string Path, DicomDataset Dataset)> Dicom { get; }

        public void Dispose() => Folder.Dispose();
    }

    [Fact]
    public void EveryFileSitsInTheFoldersNamedByItsPatientStudyAndSeries()
    {
        Assert.All(dicom, file =>
        {
            var parts = file.Path.Split('/');
            Assert.Equal(5, parts.Length);
            Assert.Equal(RawLayouts.LidcCollectionFolder, parts[0]);
            Assert.Equal(file.Dataset.GetString(DicomTags.PatientId), parts[1]);
            Assert.Equal(file.Dataset.GetString(DicomTags.StudyInstanceUid), parts[2]);
            Assert.Equal(file.Dataset.GetString(DicomTags.SeriesInstanceUid), parts[3]);
            Assert.Matches(@"^LIDC-SYN-\d{4}$", parts[1]);
            Assert.True(DicomUid.IsValid(parts[2]) && DicomUid.IsValid(parts[3]));
        });
    }

    [Fact]
    public void ThereAreTheSpecsCtSeriesAndOneCrSeriesInAStudyOfItsOwn()
    {
        var series = dicom.GroupBy(f => f.Dataset.GetString(DicomTags.SeriesInstanceUid)).ToList();
        var ct = series.Where(s => s.All(f => f.Dataset.GetString(DicomTags.Modality) == "CT")).ToList();
        var cr = Assert.Single(series, s => s.All(f => f.Dataset.GetString(DicomTags.Modality) == "CR"));

        Assert.Equal(Spec.Series + 1, series.Count);
        Assert.Equal(Spec.Series, ct.Count);
        Assert.All(ct, s => Assert.Equal(Slices, s.Count()));
        Assert.Equal(2, cr.Count());
        var crStudy = cr.First().Dataset.GetString(DicomTags.StudyInstanceUid);
        Assert.DoesNotContain(ct, s => s.First().Dataset.GetString(DicomTags.StudyInstanceUid) == crStudy);
        Assert.All(cr, f => Assert.Equal(DicomSliceWriter.CrImageStorage, f.Dataset.GetString(DicomTags.SopClassUid)));
    }

    [Fact]
    public void OnePatientHasTwoCtStudies()
    {
        var studiesPerPatient = dicom.Where(f => f.Dataset.GetString(DicomTags.Modality) == "CT")
            .GroupBy(f => f.Dataset.GetString(DicomTags.PatientId))
            .Select(p => p.Select(f => f.Dataset.GetString(DicomTags.StudyInstanceUid)).Distinct().Count())
            .ToList();

        Assert.Equal(3, studiesPerPatient.Count);
        Assert.Equal([1, 1, 2], studiesPerPatient.Order());
    }

    [Fact]
    public void EachCtSeriesFolderHoldsAReaderAnnotationThatIsNotDicom()
    {
        var folders = dicom.Where(f => f.Dataset.GetString(DicomTags.Modality) == "CT").Select(f => Path.GetDirectoryName(f.Path)).Distinct().ToList();
        var xml = SyntheticTestSupport.Files(folder.Path).Where(path => path.EndsWith(".xml", StringComparison.Ordinal)).ToList();

        Assert.Equal(folders.Order(), xml.Select(Path.GetDirectoryName).Order());
        Assert.All(xml, path =>
        {
            var bytes = File.ReadAllBytes(Path.Combine(folder.Path, path));
            Assert.False(bytes.Length > 132 && bytes.AsSpan(128, 4).SequenceEqual("DICM"u8));
            Assert.Contains("<LidcReadMessage", System.Text.Encoding.UTF8.GetString(bytes));
        });
    }

    [Fact]
    public void TheVendorConventionsAreCycledOverTheSeries()
    {
        var series = CtSeries().Select(s => s.Select(f => DicomImage.From(f.Dataset)).ToList()).ToList();
        var styles = series.Select(s => s[0]).Select(i => (i.Dataset.GetString(DicomTags.Manufacturer), i.PixelRepresentation, i.BitsStored, i.RescaleIntercept, i.PixelPaddingValue, i.TransferSyntax.Uid)).ToList();

        (string?, int, int, double, int?, string)[] conventions =
        [
            ("GE MEDICAL SYSTEMS", 1, 16, -1024.0, -2000, TransferSyntax.ExplicitVrLittleEndianUid),
            ("TOSHIBA", 1, 16, 0.0, null, TransferSyntax.ExplicitVrLittleEndianUid),
            ("SIEMENS", 0, 12, -1024.0, null, TransferSyntax.ExplicitVrLittleEndianUid),
            ("GE MEDICAL SYSTEMS", 1, 16, -1024.0, -2000, TransferSyntax.ImplicitVrLittleEndianUid),
        ];
        Assert.Equal(conventions.Order(), styles.Order());
        foreach (var images in series)
        {
            var expected = images[0].Dataset.GetString(DicomTags.Manufacturer) == "TOSHIBA" ? -3024 : images[0].IsSigned ? -2000 : 0;
            Assert.All(images, image =>
            {
                var stored = image.StoredValues();
                var hu = image.HounsfieldUnits();
                // Corners are outside the circular field of view; the centre row crosses the body.
                Assert.Equal([expected, expected, expected, expected], new[] { stored[0], stored[Size - 1], stored[^Size], stored[^1] });
                var inside = Enumerable.Range(0, stored.Length).Where(i => InFieldOfView(i)).Select(i => hu[i]).ToList();
                Assert.All(inside, h => Assert.InRange(h, -1024, 3071));
                Assert.Contains(inside, h => h is > -1024 and < -950);
                Assert.Contains(inside, h => h is > 0 and < 80);
                // Between the body and the rim of the field of view is air: every vendor's rescale must give about -1000 HU there.
                var air = Enumerable.Range(0, stored.Length).Where(i => InFieldOfView(i) && !InFieldOfView(i, 0.45)).Select(i => hu[i]).ToList();
                Assert.InRange(air.Average(), -1020, -980);
            });
        }

        Assert.Contains(series.SelectMany(s => s), image => image.Dataset.GetString(DicomTags.Manufacturer) == "TOSHIBA" && image.StoredValues().Count(v => v < 0) > Size * Size / 4);
    }

    [Fact]
    public void ExactlyOneSeriesHasTwoInstancesAtTheSameZ()
    {
        var duplicates = CtSeries()
            .Select(s => s.GroupBy(f => f.Dataset.GetDouble(DicomTags.ImagePositionPatient, 2)).Where(g => g.Count() > 1).ToList())
            .Where(groups => groups.Count > 0)
            .ToList();

        var pair = Assert.Single(Assert.Single(duplicates));
        Assert.Equal(2, pair.Select(f => f.Dataset.GetInt(DicomTags.InstanceNumber)).Distinct().Count());
    }

    [Fact]
    public void SlicesAreOrderedInZWithTheInstanceNumberAndTheLungsShrinkAtTheEnds()
    {
        var directions = new List<int>();
        foreach (var series in CtSeries())
        {
            var ordered = series.OrderBy(f => f.Dataset.GetInt(DicomTags.InstanceNumber)).ToList();
            var z = ordered.Select(f => f.Dataset.GetDouble(DicomTags.ImagePositionPatient, 2)!.Value).ToList();
            var steps = z.Zip(z.Skip(1), (a, b) => Math.Sign(b - a)).Where(sign => sign != 0).Distinct().ToList();
            directions.Add(Assert.Single(steps));
            Assert.All(ordered, f => Assert.Equal(f.Dataset.GetDouble(DicomTags.ImagePositionPatient, 2), f.Dataset.GetDouble(DicomTags.SliceLocation)));
            Assert.All(ordered, f => Assert.InRange(f.Dataset.GetDouble(DicomTags.SliceThickness)!.Value, 1.25, 2.5));
            var lung = ordered.Select(f => DicomImage.From(f.Dataset).HounsfieldUnits().Count(h => h is > -900 and < -800)).ToList();
            Assert.True(lung[0] < lung[Slices / 2] && lung[^1] < lung[Slices / 2], $"lung pixels along the series: {string.Join(", ", lung)}");
        }

        Assert.Contains(-1, directions);
        Assert.Contains(1, directions);
    }

    [Fact]
    public void ThePixelSpacingGivesAChestSizedFieldOfView()
    {
        Assert.All(CtSeries().SelectMany(s => s), f =>
        {
            var spacing = f.Dataset.GetDoubles(DicomTags.PixelSpacing);
            Assert.Equal(spacing[0], spacing[1]);
            Assert.InRange(spacing[0] * Size, 0.6 * 512, 0.8 * 512);
            Assert.Equal([1.0, 0, 0, 0, 1, 0], f.Dataset.GetDoubles(DicomTags.ImageOrientationPatient));
        });
    }

    [DcmtkFact]
    public void DcmdumpReadsEveryFileWithoutAWarning()
    {
        var (output, error) = Dcmtk.Run("dcmdump", ["-E", "-dc", .. dicom.Select(f => Path.Combine(folder.Path, f.Path))]);

        Assert.Equal("", error);
        Assert.Equal(dicom.Count, output.Split("# Dicom-File-Format").Length - 1);
    }

    private List<List<(string Path, DicomDataset Dataset)>> CtSeries() =>
        [.. dicom.Where(f => f.Dataset.GetString(DicomTags.Modality) == "CT")
            .GroupBy(f => f.Dataset.GetString(DicomTags.SeriesInstanceUid))
            .OrderBy(s => s.First().Path, StringComparer.Ordinal)
            .Select(s => s.ToList())];

    /// <summary>Whether a pixel lies within <paramref name="radius"/> × the side of the centre: the field of view at 0.5.</summary>
    private static bool InFieldOfView(int index, double radius = 0.5)
    {
        var (dx, dy) = ((index % Size) + 0.5 - (Size / 2.0), (index / Size) + 0.5 - (Size / 2.0));
        return (dx * dx) + (dy * dy) <= radius * radius * Size * Size;
    }
}
