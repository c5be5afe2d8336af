using System.Buffers.Binary;
using Reproduce.Core.IO;

namespace Reproduce.Data.Dicom;

/// <summary>
/// Writes valid DICOM Part-10 files of single grayscale slices (<see cref="DicomSlice"/>): a 128-byte zero
/// preamble, "DICM", the file meta group (explicit VR LE, with its group length), then the data set in explicit
/// or implicit VR little endian with the attributes of the CT Image IOD (or a minimal CR image) in ascending tag
/// order. The output depends only on the slice: no time stamps, so the same slice always gives the same bytes.
/// dcmtk's dcmdump reads the files without a warning; the tests check it.
/// </summary>
public static class DicomSliceWriter
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string CrImageStorage = "1.2.840.10008.5.1.4.1.1.1";

    /// <summary>Names this writer in every file's meta group (fixed, derived like every UID it writes).</summary>
    public static readonly string ImplementationClassUid = DicomUid.FromName("reproduce/dicom-slice-writer");

    public const string ImplementationVersionName = "REPRODUCE_1";

    private static readonly IReadOnlyList<double> AxialOrientation = [1, 0, 0, 0, 1, 0];

    /// <summary>Writes the file beside <paramref name="path"/> and renames it into place, so a reader never sees half a file.</summary>
    public static void Write(string path, DicomSlice slice) => AtomicFile.Write(path, Encode(slice));

    /// <summary>The whole Part-10 file.</summary>
    public static byte[] Encode(DicomSlice slice)
    {
        Validate(slice);
        var sopClass = slice.Modality == DicomSlice.ComputedTomography ? CtImageStorage : CrImageStorage;
        byte[] meta = MetaGroup(sopClass, slice.SopInstanceUid, slice.TransferSyntax.Uid);
        byte[] dataset = Dataset(slice, sopClass);
        return [.. new byte[128], .. "DICM"u8, .. meta, .. dataset];
    }

    private static byte[] MetaGroup(string sopClass, string sopInstance, string transferSyntax)
    {
        var elements = new DicomElementEncoder(explicitVr: true);
        elements.Binary(new DicomTag(0x0002, 0x0001), "OB", [0x00, 0x01]);
        elements.Text(DicomTags.MediaStorageSopClassUid, "UI", sopClass);
        elements.Text(DicomTags.MediaStorageSopInstanceUid, "UI", sopInstance);
        elements.Text(DicomTags.TransferSyntaxUid, "UI", transferSyntax);
        elements.Text(new DicomTag(0x0002, 0x0012), "UI", ImplementationClassUid);
        elements.Text(new DicomTag(0x0002, 0x0013), "SH", ImplementationVersionName);
        var group = new DicomElementEncoder(explicitVr: true);
        group.UInt32(DicomTags.FileMetaInformationGroupLength, (uint)elements.Length);
        return [.. group.ToArray(), .. elements.ToArray()];
    }

    private static byte[] Dataset(DicomSlice slice, string sopClass)
    {
        var ct = slice.Modality == DicomSlice.ComputedTomography;
        var geometry = slice.Geometry;
        var d = new DicomElementEncoder(slice.TransferSyntax.Encoding.ExplicitVr);
        d.Text(new DicomTag(0x0008, 0x0008), "CS", ct ? ["ORIGINAL", "PRIMARY", "AXIAL"] : ["ORIGINAL", "PRIMARY"]);
        d.Text(DicomTags.SopClassUid, "UI", sopClass);
        d.Text(DicomTags.SopInstanceUid, "UI", slice.SopInstanceUid);
        d.Text(new DicomTag(0x0008, 0x0020), "DA", slice.StudyDate);
        // Type 2 attributes of the patient, study and equipment modules: present, and empty where nothing is known.
        d.Text(new DicomTag(0x0008, 0x0030), "TM");
        d.Text(new DicomTag(0x0008, 0x0050), "SH");
        d.Text(DicomTags.Modality, "CS", slice.Modality);
        d.Text(DicomTags.Manufacturer, "LO", slice.Manufacturer);
        d.Text(new DicomTag(0x0008, 0x0090), "PN");
        d.Text(new DicomTag(0x0010, 0x0010), "PN", slice.PatientId);
        d.Text(DicomTags.PatientId, "LO", slice.PatientId);
        d.Text(new DicomTag(0x0010, 0x0030), "DA");
        d.Text(new DicomTag(0x0010, 0x0040), "CS");
        if (geometry is not null)
        {
            d.Decimal(DicomTags.SliceThickness, geometry.SliceThickness);
            d.Text(new DicomTag(0x0018, 0x0060), "DS");
        }

        d.Text(DicomTags.StudyInstanceUid, "UI", slice.StudyInstanceUid);
        d.Text(DicomTags.SeriesInstanceUid, "UI", slice.SeriesInstanceUid);
        d.Text(new DicomTag(0x0020, 0x0010), "SH");
        d.Integer(new DicomTag(0x0020, 0x0011), slice.SeriesNumber);
        d.Integer(DicomTags.InstanceNumber, slice.InstanceNumber);
        if (geometry is not null)
        {
            d.Decimal(DicomTags.ImagePositionPatient, geometry.X, geometry.Y, geometry.Z);
            d.Decimal(DicomTags.ImageOrientationPatient, AxialOrientation);
            d.Text(new DicomTag(0x0020, 0x0052), "UI", geometry.FrameOfReferenceUid);
            d.Text(new DicomTag(0x0020, 0x1040), "LO");
            d.Decimal(DicomTags.SliceLocation, geometry.Z);
        }
        else
        {
            // A projection image has no plane; PatientOrientation (type 2C) stands in for it, empty.
            d.Text(new DicomTag(0x0020, 0x0020), "CS");
        }

        d.UInt16(DicomTags.SamplesPerPixel, 1);
        d.Text(DicomTags.PhotometricInterpretation, "CS", "MONOCHROME2");
        d.UInt16(DicomTags.Rows, (ushort)slice.Rows);
        d.UInt16(DicomTags.Columns, (ushort)slice.Columns);
        if (geometry is not null)
        {
            d.Decimal(DicomTags.PixelSpacing, geometry.PixelSpacing, geometry.PixelSpacing);
        }

        d.UInt16(DicomTags.BitsAllocated, 16);
        d.UInt16(DicomTags.BitsStored, (ushort)slice.BitsStored);
        d.UInt16(DicomTags.HighBit, (ushort)(slice.BitsStored - 1));
        d.UInt16(DicomTags.PixelRepresentation, slice.Signed ? (ushort)1 : (ushort)0);
        if (slice.PixelPaddingValue is { } padding)
        {
            if (slice.Signed)
            {
                d.Int16(DicomTags.PixelPaddingValue, (short)padding);
            }
            else
            {
                d.UInt16(DicomTags.PixelPaddingValue, (ushort)padding);
            }
        }

        if (ct)
        {
            d.Decimal(DicomTags.RescaleIntercept, slice.RescaleIntercept);
            d.Decimal(DicomTags.RescaleSlope, slice.RescaleSlope);
            d.Text(new DicomTag(0x0028, 0x1054), "LO", "HU");
        }

        d.Binary(DicomTags.PixelData, "OW", PixelBytes(slice.StoredValues.Span));
        return d.ToArray();
    }

    private static byte[] PixelBytes(ReadOnlySpan<int> values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            // Both representations are the low 16 bits; Validate has checked each value fits its range.
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), (ushort)values[i]);
        }

        return bytes;
    }

    private static void Validate(DicomSlice slice)
    {
        var problems = new List<string>();
        var ct = slice.Modality == DicomSlice.ComputedTomography;
        if (!ct && slice.Modality != DicomSlice.ComputedRadiography)
        {
            problems.Add($"Modality '{slice.Modality}' is neither CT nor CR");
        }

        if (ct && slice.Geometry is null)
        {
            problems.Add("a CT slice needs a Geometry (its image plane)");
        }

        if (!ct && slice.Geometry is not null)
        {
            problems.Add("a CR image is a projection and has no Geometry");
        }

        if (!ct && (slice.RescaleIntercept != 0 || slice.RescaleSlope != 1))
        {
            problems.Add("a CR image carries no rescale here; leave RescaleIntercept 0 and RescaleSlope 1");
        }

        if (slice.TransferSyntax.Uid is not (TransferSyntax.ExplicitVrLittleEndianUid or TransferSyntax.ImplicitVrLittleEndianUid))
        {
            problems.Add($"transfer syntax {slice.TransferSyntax} is not written; use explicit or implicit VR little endian");
        }

        if (slice.Rows is < 1 or > ushort.MaxValue || slice.Columns is < 1 or > ushort.MaxValue)
        {
            problems.Add($"the image is {slice.Rows} × {slice.Columns}; both must be 1 to {ushort.MaxValue}");
        }
        else if (slice.StoredValues.Length != (long)slice.Rows * slice.Columns)
        {
            problems.Add($"{slice.StoredValues.Length} stored values do not fill {slice.Rows} × {slice.Columns} pixels");
        }

        if (slice.BitsStored is not (12 or 16))
        {
            problems.Add($"BitsStored {slice.BitsStored} is not 12 or 16");
        }
        else
        {
            var (low, high) = slice.Signed ? (-(1 << (slice.BitsStored - 1)), (1 << (slice.BitsStored - 1)) - 1) : (0, (1 << slice.BitsStored) - 1);
            var values = slice.StoredValues.Span;
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] < low || values[i] > high)
                {
                    problems.Add($"stored value {values[i]} at pixel {i} is outside {low}..{high} ({slice.BitsStored} bits, {(slice.Signed ? "signed" : "unsigned")})");
                    break;
                }
            }

            // Padding may lie outside the stored range (PS3.3 C.7.5.1.1.2), but must fit the 16 bits of its VR.
            if (slice.PixelPaddingValue is { } padding && (slice.Signed ? padding is < short.MinValue or > short.MaxValue : padding is < 0 or > ushort.MaxValue))
            {
                problems.Add($"PixelPaddingValue {padding} does not fit {(slice.Signed ? "SS" : "US")}");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"cannot write DICOM slice {slice.SopInstanceUid}: {string.Join("; ", problems)}", nameof(slice));
        }
    }
}
