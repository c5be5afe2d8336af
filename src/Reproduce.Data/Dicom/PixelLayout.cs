namespace Reproduce.Data.Dicom;

/// <summary>How stored values sit in raw pixel bytes: sample size, byte order, and which bits hold the value.</summary>
/// <param name="SwapBytePairs">8-bit samples in an OW value of a big-endian file, which is byte-swapped as 16-bit words.</param>
internal readonly record struct PixelLayout(int BytesPerSample, bool BigEndian, bool SwapBytePairs, int BitsStored, int HighBit, bool Signed)
{
    /// <summary>The stored value occupies bits HighBit−BitsStored+1 … HighBit of each sample (PS3.5 §8.1.1).</summary>
    public int Shift => HighBit + 1 - BitsStored;

    /// <summary>Whether every bit of a 16-bit sample is the value, so samples can be widened without masking.</summary>
    public bool IsFull16 => BytesPerSample == 2 && BitsStored == 16;
}
