namespace Reproduce.Core.Tests.Manifests;

/// <summary>Valid manifests for <see cref="TestCatalog"/>, to load as they are or to extend.</summary>
public static class SampleManifests
{
    /// <summary>A small valid manifest: two datasets, one task, two methods, every section present.</summary>
    public const string Base = """
        experiment: base
        title: Base experiment
        seed: 7

        datasets:
          lidc:
            source: synthetic
            synthetic: {size: 64, series: 2, slices_per_series: 8}
            preprocess: {recipe: authors, size: 64}
          covid:
            source: github
            url: https://example.org/covid-ct
            version: main
            preprocess: {recipe: gray, size: 32}

        tasks:
          covid:
            dataset: covid
            classes: 2
            positive_class: 1
            reduction: random
            mean: [0.5]
            std: [0.25]
            flip: vertical

        pretrain:
          dataset: lidc
          arch: resnet18
          image_size: 64
          methods:
            byol:
              epochs: 3
              optimizer: adam
            spark: {}

        finetune:
          inits: [scratch, byol, spark]
          epochs: 4
          batch_size: 8
          optimizer: adam
          learning_rate: 1.0e-4
          weight_decay: 0.0
          input_size: 64

        evaluation:
          protocol: kfold
          folds: 3
          fractions: [1.0, 0.5]
          metrics: [auc, accuracy]

        deviations:
          - "Synthetic data only."
          - "Tiny epochs."

        """;

    /// <summary>
    /// The shape of paper.yaml with the test catalog: 4 datasets (Brain a local folder at
    /// <paramref name="brainPath"/>), 3 tasks, 4 methods, 5 inits, 5 folds and 5 fractions.
    /// </summary>
    public static string PaperLike(string brainPath) => $$"""
        experiment: paper-like
        seed: 42

        datasets:
          lidc:
            source: nbia
            collection: LIDC-IDRI
            preprocess: {recipe: authors, size: 512}
          covid:
            source: github
            url: https://github.com/UCSD-AI4H/COVID-CT
            version: master
            preprocess: {recipe: gray, size: 224}
          organsmnist:
            source: zenodo
            version: v2
            image_size: 28
            preprocess: {recipe: gray, size: 28}
          brain:
            source: local
            path: "{{brainPath}}"
            preprocess: {recipe: gray, size: 224}

        tasks:
          covid: {dataset: covid, classes: 2, positive_class: 1, reduction: random, mean: [0.5], std: [0.25]}
          organsmnist: {dataset: organsmnist, classes: 11, reduction: random, mean: [0.5], std: [0.5]}
          brain: {dataset: brain, classes: 2, positive_class: 1, reduction: random, mean: [0.5], std: [0.25]}

        pretrain:
          dataset: lidc
          arch: resnet50
          image_size: 224
          methods:
            byol: {epochs: 100}
            mocov2: {queue_size: 65536}
            swav: {crops: [2, 6]}
            spark: {mask_ratio: 0.6}

        finetune:
          inits: [scratch, byol, mocov2, swav, spark]
          epochs: 70
          batch_size: 64
          optimizer: adam
          learning_rate: 1.0e-4
          weight_decay: 5.0e-4
          freeze_backbone_epochs: 10
          input_size: 224

        evaluation:
          protocol: kfold
          folds: 5
          fractions: [1.0, 0.75, 0.5, 0.25, 0.1]
          metrics: [auc, f1, accuracy]

        """;
}
