using System.Buffers;

namespace Reproduce.Data.Dicom;

/// <summary>
/// A DICOM file read into a buffer rented from <see cref="ArrayPool{T}.Shared"/>, for callers that decode
/// a file and drop it at once, such as preprocessing: a CT slice is half a megabyte, and a fresh array
/// per slice costs a large-object allocation and its page faults, more than reading the file. Disposing
/// returns the buffer; the data set, and any image decoded lazily from it, must not be used afterwards.
/// </summary>
public sealed class RentedDicomFile : IDisposable
{
    private byte[]? buffer;

    private RentedDicomFile(DicomDataset dataset, byte[] buffer) => (Dataset, this.buffer) = (dataset, buffer);

    public DicomDataset Dataset { get; }

    public static RentedDicomFile Read(string path)
    {
        byte[]? rented = null;
        try
        {
            var bytes = DicomFile.ReadAllBytes(path, length => rented = ArrayPool<byte>.Shared.Rent(length));
            return new RentedDicomFile(DicomFile.Read(bytes, path), rented!);
        }
        catch
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }

            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref buffer, null) is { } rented)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
