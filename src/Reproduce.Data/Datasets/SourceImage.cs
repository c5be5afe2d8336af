using Reproduce.Data.Dicom;
using Reproduce.Data.Images;

namespace Reproduce.Data.Datasets;

/// <summary>
/// One raw image as its dataset stores it: a CT slice (stored values, converted to HU by the recipe) or
/// an 8-bit gray image. Disposing releases what the image was read into (see <see cref="CtSlice.Read"/>);
/// an undisposed image is simply collected.
/// </summary>
public abstract record SourceImage : IDisposable
{
    public virtual void Dispose()
    {
    }
}

/// <summary>A decoded DICOM CT slice; the recipe decides how stored values become HU (padding, missing intercept).</summary>
public sealed record CtSlice(DicomImage Image) : SourceImage
{
    private RentedDicomFile? file;

    /// <summary>The slice in <paramref name="path"/>, read into a pooled buffer that <see cref="Dispose"/> returns: read the image before disposing.</summary>
    public static CtSlice Read(string path)
    {
        var file = RentedDicomFile.Read(path);
        try
        {
            return new CtSlice(DicomImage.From(file.Dataset)) { file = file };
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public override void Dispose() => file?.Dispose();
}

/// <summary>An image that is gray levels already (PNG/JPEG decoded by DESIGN.md §7's formula, MedMNIST arrays).</summary>
public sealed record GraySource(GrayImage Image) : SourceImage;
