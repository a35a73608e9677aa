"""The front matter a test manuscript needs (title, author block, 摘要, 关键词), written once."""
from __future__ import annotations


def front_matter(title: str, keywords: tuple[str, ...] = ("表格",), abstract: str = "摘要正文。") -> str:
    """A complete front matter block for ``title``, closed, ready for the body to follow."""
    return f"""---
title: {title}
author:
  name: 张三
  unit: 某单位
  position: 讲师
  address: 四川省巴中市
  postcode: "636000"
  email: a@example.com
  phone: "13500000000"
abstract: |
  {abstract}
keywords: [{", ".join(keywords)}]
---
"""
