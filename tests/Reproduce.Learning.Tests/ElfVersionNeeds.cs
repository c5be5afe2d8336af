using System.Buffers.Binary;
using System.Text;

namespace Reproduce.Learning.Tests;

/// <summary>
/// Reads the version needs (.gnu.version_r) of a 64-bit little-endian ELF file: just enough to check
/// what the build's TorchSharp fix-up (Directory.Build.targets) did to libLibTorchSharp.so.
/// Follows the vn_next/vna_next links, where the build step counts entries, so the two differ.
/// </summary>
internal static class ElfVersionNeeds
{
    public const ushort WeakFlag = 0x2;

    private const uint GnuVersionNeedsSection = 0x6ffffffe;

    /// <summary>The vna_flags of the version need called <paramref name="versionName"/>, or null if the file has none.</summary>
    public static ushort? FlagsOf(string path, string versionName)
    {
        var elf = File.ReadAllBytes(path);
        if (!elf.AsSpan().StartsWith("\u007FELF"u8) || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");
        }

        var sectionHeaders = (int)U64(elf, 0x28);
        int headerSize = U16(elf, 0x3A);
        int sectionCount = U16(elf, 0x3C);
        for (var header = sectionHeaders; header < sectionHeaders + sectionCount * headerSize; header += headerSize)
        {
            if (U32(elf, header + 4) != GnuVersionNeedsSection)
            {
                continue;
            }

            var strings = (int)U64(elf, sectionHeaders + (int)U32(elf, header + 40) * headerSize + 24);
            for (var need = (int)U64(elf, header + 24); ; need += (int)U32(elf, need + 12))
            {
                for (var aux = need + (int)U32(elf, need + 8); ; aux += (int)U32(elf, aux + 12))
                {
                    if (NameAt(elf, strings + (int)U32(elf, aux + 8)) == versionName)
                    {
                        return U16(elf, aux + 4);
                    }

                    if (U32(elf, aux + 12) == 0)
                    {
                        break;
                    }
                }

                if (U32(elf, need + 12) == 0)
                {
                    return null;
                }
            }
        }

        return null;
    }

    private static ushort U16(byte[] elf, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(offset));

    private static uint U32(byte[] elf, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(offset));

    private static ulong U64(byte[] elf, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(offset));

    private static string NameAt(byte[] elf, int offset) =>
        Encoding.ASCII.GetString(elf, offset, Array.IndexOf(elf, (byte)0, offset) - offset);
}
