"""rag: offline extractive question answering and quote verification over Chinese reports."""
import logging

import jieba

# jieba announces its dictionary on stderr at every start; users need not see it.
jieba.setLogLevel(logging.WARNING)
