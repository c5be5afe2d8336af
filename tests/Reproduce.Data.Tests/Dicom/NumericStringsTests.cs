using Reproduce.Data.Dicom;

namespace Reproduce.Data.Tests.Dicom;

/// <summary>DS and IS values as real files write them (DATASETS.md §B2.9).</summary>
public class NumericStringsTests
{
    [Theory]
    [InlineData("1.0E+00", 1.0)]
    [InlineData(" -1024 ", -1024.0)]
    [InlineData("0001", 1.0)]
    [InlineData(" 1", 1.0)]
    [InlineData("-1024", -1024.0)]
    [InlineData("001.000000E+00", 1.0)]
    [InlineData("-01.024000E+03", -1024.0)]
    [InlineData("1099.3100585938", 1099.3100585938)]
    [InlineData("+5.5", 5.5)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("2.5e-3", 0.0025)]
    [InlineData("00500", 500.0)]
    [InlineData("0.661468\0", 0.661468)]
    public void DecimalStringsParse(string text, double expected)
    {
        Assert.True(NumericStrings.TryParseDecimal(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("1,5")]
    [InlineData("1.2.3")]
    [InlineData("1 2")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e999")]
    [InlineData("0x10")]
    public void MalformedDecimalStringsAreRejected(string text)
    {
        Assert.False(NumericStrings.TryParseDecimal(text, out var value));
        Assert.Equal(0.0, value);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData(" 12 ", 12)]
    [InlineData("-3", -3)]
    [InlineData("+7", 7)]
    [InlineData("00500", 500)]
    [InlineData("12.0", 12)]
    [InlineData("2147483647", int.MaxValue)]
    [InlineData("-2147483648", int.MinValue)]
    public void IntegerStringsParse(string text, int expected)
    {
        Assert.True(NumericStrings.TryParseInteger(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12.5")]
    [InlineData("x")]
    [InlineData("99999999999")]
    [InlineData("1e10")]
    public void MalformedIntegerStringsAreRejected(string text)
    {
        Assert.False(NumericStrings.TryParseInteger(text, out var value));
        Assert.Equal(0, value);
    }
}
