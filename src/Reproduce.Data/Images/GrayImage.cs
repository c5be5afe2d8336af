namespace Reproduce.Data.Images;

/// <summary>An 8-bit gray image, row-major.</summary>
public sealed record GrayImage(int Width, int Height, byte[] Pixels)
{
    public byte this[int row, int column] => Pixels[(row * Width) + column];
}
