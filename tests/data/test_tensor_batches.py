import torch

from rnnlab.data.tensor_batches import TensorBatches


def rows(n: int) -> tuple[torch.Tensor, torch.Tensor]:
    return torch.arange(n).float().view(n, 1, 1), torch.arange(n)


def test_training_batches_have_one_shape_and_visit_each_row_at_most_once():
    x, y = rows(10)
    batches = list(TensorBatches(x, y, batch_size=4, shuffle=True, drop_last=True, seed=1))
    assert len(batches) == 2 and all(bx.shape == (4, 1, 1) for bx, _ in batches)
    seen = torch.cat([by for _, by in batches])
    assert len(set(seen.tolist())) == 8
    for bx, by in batches:  # inputs and targets stay paired
        assert torch.equal(bx.view(-1).long(), by)


def test_evaluation_batches_cover_everything_in_order():
    x, y = rows(10)
    loader = TensorBatches(x, y, batch_size=4)
    assert len(loader) == 3
    assert torch.equal(torch.cat([by for _, by in loader]), y)


def test_shuffle_depends_on_seed_and_epoch_only():
    x, y = rows(50)
    first = TensorBatches(x, y, batch_size=50, shuffle=True, seed=3)
    second = TensorBatches(x, y, batch_size=50, shuffle=True, seed=3)
    epoch0, epoch1 = next(iter(first))[1], next(iter(first))[1]
    assert torch.equal(epoch0, next(iter(second))[1])
    assert not torch.equal(epoch0, epoch1)


def test_a_split_smaller_than_a_batch_is_one_batch():
    x, y = rows(3)
    loader = TensorBatches(x, y, batch_size=16, shuffle=True, drop_last=True)
    assert len(loader) == 1 and next(iter(loader))[0].shape[0] == 3


def test_ddp_shards_partition_the_rows_and_training_shards_match_in_length():
    x, y = rows(11)
    train = [
        TensorBatches(x, y, 2, shuffle=True, drop_last=True, seed=4).shard(r, 2) for r in (0, 1)
    ]
    seen = [torch.cat([by for _, by in loader]) for loader in train]
    assert len(train[0]) == len(train[1]) == 2  # 5 rows each, batches of 2, ragged end dropped
    assert not set(seen[0].tolist()) & set(seen[1].tolist())
    evaluation = [TensorBatches(x, y, 4).shard(r, 2) for r in (0, 1)]
    covered = sorted(torch.cat([by for loader in evaluation for _, by in loader]).tolist())
    assert covered == list(range(11))  # every row once, none padded or repeated
