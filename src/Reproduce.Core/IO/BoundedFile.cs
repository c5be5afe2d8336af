using System.Globalization;
using Mono.Unix;

namespace Reproduce.Core.IO;

/// <summary>
/// Reads an input file whole, refusing up front what could hang the reader or exhaust memory: anything but a regular
/// file (a FIFO blocks on open until someone writes, <c>/dev/zero</c> never ends) and a file over its size limit. The
/// caller says what a refusal is (<paramref name="refuse"/>: the exception for its kind of input), so the error names
/// the file in that input's terms.
/// </summary>
public static class BoundedFile
{
    /// <summary>The bytes of <paramref name="path"/>, at most <paramref name="maxBytes"/>; it must be a regular file (or a link to one).</summary>
    public static byte[] ReadBytes(string path, long maxBytes, Func<string, Exception> refuse)
    {
        RequireRegular(path, refuse);
        using var file = File.OpenRead(path);
        // The length is read again from the open file: it may have been replaced since the check.
        if (file.Length > maxBytes)
        {
            throw refuse($"has {file.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes, more than the {maxBytes.ToString("N0", CultureInfo.InvariantCulture)} this kind of file may have");
        }

        var bytes = new byte[file.Length];
        file.ReadExactly(bytes);
        if (file.ReadByte() != -1)
        {
            throw refuse($"grew while being read, past {file.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes");
        }

        return bytes;
    }

    /// <summary>The text of <paramref name="path"/> as UTF-8 (a byte order mark dropped), at most <paramref name="maxBytes"/> bytes.</summary>
    public static string ReadText(string path, long maxBytes, Func<string, Exception> refuse)
    {
        using var reader = new StreamReader(new MemoryStream(ReadBytes(path, maxBytes, refuse)), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>Refuses a path that is not a regular file: a FIFO, a socket, a device, a directory.</summary>
    public static void RequireRegular(string path, Func<string, Exception> refuse)
    {
        FileTypes type;
        try
        {
            // Follows links: a link to a regular file is one.
            type = new UnixFileInfo(path).FileType;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidOperationException or UnauthorizedAccessException or ArgumentException)
        {
            throw refuse(e is UnauthorizedAccessException ? "cannot be read (permission denied)" : "does not exist");
        }

        if (type != FileTypes.RegularFile)
        {
            throw refuse($"is a {Describe(type)}, not a regular file");
        }
    }

    private static string Describe(FileTypes type) => type switch
    {
        FileTypes.Directory => "directory",
        FileTypes.Fifo => "FIFO (named pipe)",
        FileTypes.Socket => "socket",
        FileTypes.CharacterDevice => "character device",
        FileTypes.BlockDevice => "block device",
        _ => type.ToString().ToLowerInvariant(),
    };
}
