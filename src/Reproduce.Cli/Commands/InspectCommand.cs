using System.CommandLine;
using System.Globalization;
using Reproduce.Core.Errors;
using Reproduce.Data.Arrays;
using Reproduce.Data.Dicom;

namespace Reproduce.Cli.Commands;

/// <summary>
/// <c>reproduce inspect &lt;file&gt; [--npy out.npy] [--frame N]</c>: the key attributes of a DICOM
/// file, and optionally its HU image as float32 rows × columns (DESIGN.md §7: stored × slope +
/// intercept, padding kept, MONOCHROME1 not inverted, first frame unless --frame).
/// </summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "a DICOM file" };
        var npy = new Option<string?>("--npy") { Description = "write the HU image of the frame to this .npy file" };
        var frame = new Option<int>("--frame") { Description = "the frame to write (0-based)", DefaultValueFactory = _ => 0 };
        var command = new Command("inspect", "print a DICOM file's key attributes; optionally write its HU image as .npy");
        command.Arguments.Add(file);
        command.Options.Add(npy);
        command.Options.Add(frame);
        command.SetAction(result =>
        {
            var path = result.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new UsageException($"{path}: no such file");
            }

            var dataset = DicomFile.Read(path);
            var slice = SliceAttributes.From(dataset);
            var image = DicomImage.From(dataset);
            var invariant = CultureInfo.InvariantCulture;
            Console.WriteLine($"file               {path}");
            Console.WriteLine($"transfer syntax    {dataset.TransferSyntax.Uid} ({dataset.TransferSyntax.Name})");
            Console.WriteLine($"modality           {slice.Modality ?? "-"}");
            Console.WriteLine($"manufacturer       {slice.Manufacturer ?? "-"}");
            Console.WriteLine($"series             {slice.SeriesInstanceUid ?? "-"}");
            Console.WriteLine($"instance           {slice.InstanceNumber?.ToString(invariant) ?? "-"}");
            Console.WriteLine($"position           {(slice.ImagePositionPatient.Count > 0 ? string.Join(", ", slice.ImagePositionPatient.Select(v => v.ToString(invariant))) : "-")}");
            Console.WriteLine($"size               {image.Rows} x {image.Columns}, {image.Frames} frame(s)");
            Console.WriteLine($"pixels             {image.BitsAllocated} bits allocated, {image.BitsStored} stored, high bit {image.HighBit}, {(image.IsSigned ? "signed" : "unsigned")}");
            Console.WriteLine($"photometric        {image.Photometric ?? "-"}{(image.Photometric == "MONOCHROME1" ? " (reported, not inverted)" : "")}");
            Console.WriteLine($"rescale            slope {image.RescaleSlope.ToString(invariant)}, intercept {image.RescaleIntercept.ToString(invariant)}");
            Console.WriteLine($"padding            {image.PixelPaddingValue?.ToString(invariant) ?? "-"}");
            if (result.GetValue(npy) is { } output)
            {
                var index = result.GetValue(frame);
                if (index < 0 || index >= image.Frames)
                {
                    throw new UsageException($"--frame {index}: the file has frames 0 to {image.Frames - 1}");
                }

                NpyWriter.WriteFloat32(output, image.Rows, image.Columns, image.HounsfieldUnits(index));
                Console.WriteLine($"wrote              {output} (float32 HU, {image.Rows} x {image.Columns}, frame {index})");
            }

            return 0;
        });
        return command;
    }
}
