using Reproduce.Data.Dicom;

namespace Reproduce.Data.Tests.Dicom;

public class DicomUidTests
{
    [Fact]
    public void ANameAlwaysGivesTheSameValidUidUnderTheUuidRoot()
    {
        var uid = DicomUid.FromName("reproduce/synthetic/7/lidc/series/0");

        Assert.Equal(uid, DicomUid.FromName("reproduce/synthetic/7/lidc/series/0"));
        Assert.StartsWith("2.25.", uid);
        Assert.True(DicomUid.IsValid(uid), uid);
        Assert.InRange(uid.Length, 6, 44);
    }

    [Fact]
    public void DifferentNamesGiveDifferentUids()
    {
        var uids = Enumerable.Range(0, 1000).Select(i => DicomUid.FromName($"item/{i}")).ToList();

        Assert.Equal(uids.Count, uids.Distinct().Count());
        Assert.All(uids, uid => Assert.True(DicomUid.IsValid(uid), uid));
    }

    [Fact]
    public void TheIntegerIsAVersion8Uuid()
    {
        var value = UInt128.Parse(DicomUid.FromName("x")[5..], System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(8, (int)((value >> 76) & 0xF));
        Assert.Equal(2, (int)((value >> 62) & 0x3));
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.1", true)]
    [InlineData("2.25.0", true)]
    [InlineData("1.2.03", false)]
    [InlineData("1..2", false)]
    [InlineData("1.2.", false)]
    [InlineData("1.2.a", false)]
    [InlineData("", false)]
    public void SyntaxIsChecked(string uid, bool valid) => Assert.Equal(valid, DicomUid.IsValid(uid));

    [Fact]
    public void UidsLongerThan64CharactersAreInvalid()
    {
        Assert.True(DicomUid.IsValid("1." + new string('2', 62)));
        Assert.False(DicomUid.IsValid("1." + new string('2', 63)));
    }
}
