using Reproduce.Data.Dicom;

namespace Reproduce.Data.Tests.Dicom;

/// <summary>
/// Test-only: rewrites a parsed little-endian data set as a bare implicit VR LE data set, sequences with
/// undefined lengths. Lets tests build implicit variants of real files without dcmtk.
/// </summary>
public static class ImplicitReEncoder
{
    public static byte[] Encode(DicomDataset dataset)
    {
        var writer = new DicomTestWriter(DatasetEncoding.ImplicitLittleEndian);
        Write(dataset, writer);
        return writer.ToDataset();
    }

    private static void Write(DicomDataset dataset, DicomTestWriter writer)
    {
        foreach (var element in dataset.Elements)
        {
            if (element.Vr == "SQ")
            {
                var items = dataset.GetSequence(element.Tag).Select(Encode).ToArray();
                writer.Sequence(element.Tag.Group, element.Tag.Element, definedLength: false, definedItems: false, items);
            }
            else
            {
                writer.Element(element.Tag.Group, element.Tag.Element, element.Vr, dataset.ValueBytes(element).ToArray());
            }
        }
    }
}
