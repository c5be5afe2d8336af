namespace Reproduce.Data.Datasets;

/// <summary>
/// The on-disk layout of each dataset's raw files: what a real source leaves after downloading and
/// unpacking, what the synthetic stand-in writes (DESIGN.md §4: the same format, so the same reader
/// runs on both), and what the preprocessing reader expects. Paths are relative to the dataset's
/// raw directory.
/// <list type="bullet">
/// <item><b>lidc</b>: <c>LIDC-IDRI/&lt;PatientID&gt;/&lt;StudyInstanceUID&gt;/&lt;SeriesInstanceUID&gt;/&lt;any file name&gt;</c>,
/// as the NBIA series zips unpack. Files are DICOM Part-10 or not (reader annotations, <c>LICENSE</c>);
/// the reader keeps files with the DICM magic and Modality CT.</item>
/// <item><b>covid</b>: the repository's own paths: <c>Images-processed/CT_COVID/…</c> and
/// <c>Images-processed/CT_NonCOVID/…</c> (files found by name anywhere below the class folder, as the
/// zips may hold a top folder), and the split lists <c>Data-split/COVID/{train,val,test}CT_COVID.txt</c>,
/// <c>Data-split/NonCOVID/{train,val,test}CT_NonCOVID.txt</c> (one file name per line).</item>
/// <item><b>organsmnist</b>: one MedMNIST npz, <c>organsmnist.npz</c> (28 px) or
/// <c>organsmnist_{64,128,224}.npz</c>, with <c>{train,val,test}_{images,labels}</c>.</item>
/// <item><b>brain</b>: either the authors' class folders <c>{train,test}/{a_without,b_with}/*.png</c>,
/// or the Kaggle "Head CT – hemorrhage" layout <c>head_ct/NNN.png</c> plus <c>labels.csv</c>
/// (header <c>id, hemorrhage</c>).</item>
/// </list>
/// </summary>
public static class RawLayouts
{
    public const string LidcCollectionFolder = "LIDC-IDRI";

    public const string CovidImagesFolder = "Images-processed";
    public const string CovidPositiveFolder = "CT_COVID";
    public const string CovidNegativeFolder = "CT_NonCOVID";
    public const string CovidSplitFolder = "Data-split";

    /// <summary>The split list of one class and split, e.g. <c>Data-split/COVID/trainCT_COVID.txt</c>.</summary>
    public static string CovidSplitList(bool covid, string split) =>
        covid ? $"{CovidSplitFolder}/COVID/{split}CT_COVID.txt" : $"{CovidSplitFolder}/NonCOVID/{split}CT_NonCOVID.txt";

    /// <summary>The split names used in the COVID-CT list file names.</summary>
    public static readonly IReadOnlyList<string> CovidSplits = ["train", "val", "test"];

    /// <summary>The MedMNIST file name for an image size: <c>organsmnist.npz</c> at 28 px, <c>organsmnist_64.npz</c> otherwise.</summary>
    public static string OrganSMnistFile(int imageSize) => imageSize == 28 ? "organsmnist.npz" : $"organsmnist_{imageSize}.npz";

    public const string BrainNegativeFolder = "a_without";
    public const string BrainPositiveFolder = "b_with";
    public static readonly IReadOnlyList<string> BrainSplitFolders = ["train", "test"];

    public const string KaggleImageFolder = "head_ct";
    public const string KaggleLabels = "labels.csv";
}
