namespace Reproduce.Data.Downloads;

/// <summary>A verified file in place, with the digest recorded in the cell's meta.json.</summary>
public sealed record DownloadedFile(string Path, long Bytes, string Sha256, bool Resumed, int Attempts);
