using System.Globalization;
using Reproduce.Core.Manifests;
using Reproduce.Core.Stages;
using Reproduce.Data.Datasets;
using Reproduce.Data.Dicom;

namespace Reproduce.Data.Datasets.Synthetic;

/// <summary>
/// The LIDC-IDRI stand-in: <c>LIDC-IDRI/&lt;PatientID&gt;/&lt;StudyUID&gt;/&lt;SeriesUID&gt;/</c> folders of CT
/// series (chest phantoms whose lungs shrink towards apex and base), with the quirks of the real collection
/// (DATASETS.md §A1, §B1) that the preprocessing reader must handle:
/// <list type="bullet">
/// <item>vendor conventions cycled over the series (<see cref="Vendors"/>): GE-style signed values with −2000
/// padding and PixelPaddingValue, Toshiba-style negative stored values and no PixelPaddingValue, 12-bit unsigned
/// values, and one GE-style series in implicit VR LE with Data Retriever file names;</item>
/// <item>a circular field of view, outside which each vendor stores its own convention;</item>
/// <item>one series with two instances at the same z position (pylidc's duplicate slices);</item>
/// <item>a reader-annotation .xml file beside the slices of every CT series;</item>
/// <item>one patient with a second CT study, and one with an extra CR series of two images.</item>
/// </list>
/// Geometry: 512-px-equivalent pixel spacing (0.6–0.8 mm at 512 px, so the field of view is about 35 cm at
/// every size), slice thickness 1.25–2.5 mm, z descending or ascending with the instance number.
/// </summary>
internal static class SyntheticLidc
{
    /// <summary>
    /// How a scanner stores HU: the rescale intercept, whether values are signed 16-bit or unsigned 12-bit, what
    /// it stores outside the reconstructed circle and whether it says so in PixelPaddingValue.
    /// </summary>
    private sealed record Vendor(string Manufacturer, bool Signed, int BitsStored, int Intercept, int OutsideStored, bool DeclaresPadding, TransferSyntax Syntax, bool RetrieverNames)
    {
        /// <summary>NBIA's <c>000001.dcm</c>, or the Data Retriever's "new file names" <c>1-001.dcm</c>: the reader must not care.</summary>
        public string FileName(int instance) => RetrieverNames
            ? string.Create(CultureInfo.InvariantCulture, $"1-{instance:D3}.dcm")
            : string.Create(CultureInfo.InvariantCulture, $"{instance:D6}.dcm");
    }

    private static readonly IReadOnlyList<Vendor> Vendors =
    [
        new("GE MEDICAL SYSTEMS", Signed: true, 16, Intercept: -1024, OutsideStored: -2000, DeclaresPadding: true, TransferSyntax.ExplicitVrLittleEndian, RetrieverNames: false),
        new("TOSHIBA", Signed: true, 16, Intercept: 0, OutsideStored: -3024, DeclaresPadding: false, TransferSyntax.ExplicitVrLittleEndian, RetrieverNames: false),
        new("SIEMENS", Signed: false, 12, Intercept: -1024, OutsideStored: 0, DeclaresPadding: false, TransferSyntax.ExplicitVrLittleEndian, RetrieverNames: false),
        new("GE MEDICAL SYSTEMS", Signed: true, 16, Intercept: -1024, OutsideStored: -2000, DeclaresPadding: true, TransferSyntax.ImplicitVrLittleEndian, RetrieverNames: true),
    ];

    /// <summary>(SliceThickness, spacing between slices) per series, cycled: spacing is usually but not always the thickness.</summary>
    private static readonly IReadOnlyList<(double Thickness, double Spacing)> Sampling = [(2.5, 2.5), (1.25, 1.25), (2.5, 2.0), (2.0, 2.0)];

    private const int CrImages = 2;
    private const int LowestHu = -1024;
    private const int HighestHu = 3071;

    public static void Write(SyntheticSpec spec, long seed, string root, ICellProgress progress)
    {
        var seriesCount = SyntheticDatasets.Required(spec.Series, "series", Identifiers.Lidc, 1);
        var slices = SyntheticDatasets.Required(spec.SlicesPerSeries, "slices_per_series", Identifiers.Lidc, 1);
        var naming = new Naming(seed);
        // With three or more series the last one is a second scan of the first patient (1,018 scans of 1,010 patients).
        var patients = seriesCount >= 3 ? seriesCount - 1 : seriesCount;
        var duplicateSeries = seriesCount > 1 ? 1 : 0;
        var total = (seriesCount * slices) + CrImages;
        var done = 0;
        for (var series = 0; series < seriesCount; series++)
        {
            var patient = series < patients ? series : 0;
            var study = series < patients ? 0 : 1;
            var folder = SyntheticDatasets.CreateFolder(root, Path.Combine(RawLayouts.LidcCollectionFolder, naming.Patient(patient), naming.Study(patient, study), naming.Series(series)));
            var vendor = Vendors[series % Vendors.Count];
            var sampling = Sampling[series % Sampling.Count];
            var random = SyntheticDatasets.Random(seed, Identifiers.Lidc, $"series/{series}");
            var spacing = Math.Round((0.6 + (0.2 * random.NextDouble())) * 512 / spec.Size, 4);
            var corner = Math.Round(-spacing * (spec.Size - 1) / 2, 4);
            var top = Math.Round(-100 - (200 * random.NextDouble()), 2);
            var descending = series % 2 == 0;
            var duplicateAt = series == duplicateSeries && slices >= 3 ? slices / 2 : -1;
            // With a duplicate, two instances share one z position, so the series spans one position fewer.
            var positions = duplicateAt < 0 ? slices : slices - 1;
            for (var slice = 0; slice < slices; slice++)
            {
                var position = duplicateAt >= 0 && slice >= duplicateAt ? slice - 1 : slice;
                var z = Math.Round(top + ((descending ? -1 : 1) * position * sampling.Spacing), 4);
                var t = positions == 1 ? 0.5 : position / (double)(positions - 1);
                var hu = Phantoms.Chest(spec.Size, SyntheticDatasets.Random(seed, Identifiers.Lidc, $"series/{series}/slice/{slice}"), groundGlass: false, lungScale: 0.35 + (0.65 * Math.Sin(Math.PI * t)));
                var instance = slice + 1;
                DicomSliceWriter.Write(Path.Combine(folder, vendor.FileName(instance)), new DicomSlice
                {
                    Modality = DicomSlice.ComputedTomography,
                    PatientId = naming.Patient(patient),
                    StudyInstanceUid = naming.Study(patient, study),
                    SeriesInstanceUid = naming.Series(series),
                    SopInstanceUid = naming.Instance($"series/{series}/{instance}"),
                    Manufacturer = vendor.Manufacturer,
                    StudyDate = naming.StudyDate(patient, study),
                    SeriesNumber = 3000 + series,
                    InstanceNumber = instance,
                    Geometry = new SliceGeometry(corner, corner, z, spacing, sampling.Thickness, naming.FrameOfReference(series)),
                    Rows = spec.Size,
                    Columns = spec.Size,
                    BitsStored = vendor.BitsStored,
                    Signed = vendor.Signed,
                    RescaleIntercept = vendor.Intercept,
                    PixelPaddingValue = vendor.DeclaresPadding ? vendor.OutsideStored : null,
                    StoredValues = StoredValues(hu, spec.Size, vendor),
                    TransferSyntax = vendor.Syntax,
                });
                progress.Report(++done, total, "slices");
            }

            File.WriteAllText(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{100 + series:D3}.xml")), Annotation(naming, patient, study, series));
        }

        WriteRadiographs(spec, seed, root, naming, patients > 1 ? 1 : 0, progress, done, total);
    }

    /// <summary>HU rounded and clamped to the 12-bit CT range inside the circular field of view, the vendor's outside value beyond it.</summary>
    private static int[] StoredValues(float[] hu, int size, Vendor vendor)
    {
        var stored = new int[hu.Length];
        var radius = size / 2.0;
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var (dx, dy) = (x + 0.5 - radius, y + 0.5 - radius);
                var i = (y * size) + x;
                stored[i] = (dx * dx) + (dy * dy) > radius * radius
                    ? vendor.OutsideStored
                    : Math.Clamp((int)Math.Round(hu[i]), LowestHu, HighestHu) - vendor.Intercept;
            }
        }

        return stored;
    }

    /// <summary>A CR study of the patient: chest radiographs (12-bit, no rescale) the reader must drop by Modality.</summary>
    private static void WriteRadiographs(SyntheticSpec spec, long seed, string root, Naming naming, int patient, ICellProgress progress, int done, int total)
    {
        const int study = 2;
        var folder = SyntheticDatasets.CreateFolder(root, Path.Combine(RawLayouts.LidcCollectionFolder, naming.Patient(patient), naming.Study(patient, study), naming.RadiographSeries));
        for (var instance = 1; instance <= CrImages; instance++)
        {
            // Its content does not matter: a chest phantom as 12-bit values is enough to make a plausible image.
            var hu = Phantoms.Chest(spec.Size, SyntheticDatasets.Random(seed, Identifiers.Lidc, $"radiograph/{instance}"), groundGlass: false);
            DicomSliceWriter.Write(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{instance:D6}.dcm")), new DicomSlice
            {
                Modality = DicomSlice.ComputedRadiography,
                PatientId = naming.Patient(patient),
                StudyInstanceUid = naming.Study(patient, study),
                SeriesInstanceUid = naming.RadiographSeries,
                SopInstanceUid = naming.Instance($"radiograph/{instance}"),
                Manufacturer = "KODAK",
                StudyDate = naming.StudyDate(patient, study),
                SeriesNumber = 1,
                InstanceNumber = instance,
                Rows = spec.Size,
                Columns = spec.Size,
                BitsStored = 12,
                StoredValues = hu.Select(h => Math.Clamp((int)Math.Round(h) - LowestHu, 0, 4095)).ToArray(),
            });
            progress.Report(++done, total, "slices");
        }
    }

    /// <summary>The shape of an LIDC reader annotation (LidcReadMessage): not DICOM, so the reader must skip it.</summary>
    private static string Annotation(Naming naming, int patient, int study, int series) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <LidcReadMessage uid="{naming.Instance($"annotation/{series}")}" xmlns="http://www.nih.gov">
          <ResponseHeader>
            <StudyInstanceUID>{naming.Study(patient, study)}</StudyInstanceUID>
            <SeriesInstanceUid>{naming.Series(series)}</SeriesInstanceUid>
          </ResponseHeader>
          <readingSession>
            <annotationVersion>3.12</annotationVersion>
            <servicingRadiologistID>synthetic</servicingRadiologistID>
          </readingSession>
        </LidcReadMessage>

        """;

    /// <summary>Identifiers of the stand-in, all derived from the seed and the item's place.</summary>
    private sealed class Naming(long seed)
    {
        public string Patient(int patient) => string.Create(CultureInfo.InvariantCulture, $"LIDC-SYN-{patient + 1:D4}");

        public string Study(int patient, int study) => Uid($"study/{patient}/{study}");

        public string Series(int series) => Uid($"series/{series}");

        public string RadiographSeries => Uid("radiograph-series");

        public string FrameOfReference(int series) => Uid($"frame/{series}");

        public string Instance(string item) => Uid($"instance/{item}");

        /// <summary>A date in 2000–2004, as LIDC's anonymised dates are plausible but not real.</summary>
        public string StudyDate(int patient, int study)
        {
            var days = SyntheticDatasets.Random(seed, Identifiers.Lidc, $"date/{patient}/{study}").NextInt(5 * 365);
            return new DateOnly(2000, 1, 1).AddDays(days).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        }

        private string Uid(string item) => DicomUid.FromName(string.Create(CultureInfo.InvariantCulture, $"reproduce/synthetic/{seed}/{Identifiers.Lidc}/{item}"));
    }
}
