"""The ONNX embedding backend: an offline export of the model and an embedder over it.

* ``export.py``: the sentence-transformers pipeline as an ONNX graph, fp32 and
  dynamically int8-quantised, cached next to the model folder (uses torch);
* ``onnx_embed.py``: ``OnnxEmbedder`` (onnxruntime + tokenizers, no torch);
* ``locate.py``: the folder a model name stands for, offline.
"""
