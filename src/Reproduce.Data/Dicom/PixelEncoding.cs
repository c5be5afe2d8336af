namespace Reproduce.Data.Dicom;

/// <summary>How a transfer syntax stores pixel data, as far as this reader is concerned.</summary>
public enum PixelEncoding
{
    /// <summary>Uncompressed pixel data in one element value.</summary>
    Native,

    /// <summary>Uncompressed frames in encapsulated fragments (1.2.840.10008.1.2.1.98).</summary>
    EncapsulatedNative,

    /// <summary>RLE Lossless (PS3.5 Annex G), decoded here.</summary>
    Rle,

    /// <summary>A compression this reader does not decode (JPEG, JPEG-LS, JPEG 2000, video …).</summary>
    Unsupported,
}
